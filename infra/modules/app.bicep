// The Function App: Linux, Flex Consumption (FC1), .NET 10 isolated worker, run from the zip package in the
// deployment container. It has no keys to any store: the user-assigned identity reaches storage (host, Durable,
// deployment package), Key Vault (signing, the function-key references) and nothing else. Settings use the
// same names as local.settings.json Values.
param name string
param location string
param identityId string
param identityClientId string
param storageAccountName string
param storageBlobEndpoint string
param deploymentContainerName string
param appInsightsConnectionString string
param keyVaultUri string
param signingKeyName string
param functionKeySecretUri string
param adminKeySecretUri string
param ethereumRpcUrl string
param ethereumChainId int
param scanSchedule string

@description('LaneKeeper timer schedule (6-field NCrontab, UTC).')
param laneKeeperSchedule string
param taskHubName string
param scannerConfirmations int
param maximumInstanceCount int
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}'
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      // Flex Consumption lists dotnet-isolated 10.0 (Get-AzFunctionAppFlexConsumptionRuntime / az functionapp
      // list-flexconsumption-runtimes); check the region with that command before the first deployment.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // No FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE or content-share
      // settings: Flex Consumption takes them from functionAppConfig and refuses them as app settings.
      appSettings: [
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storageAccountName
        }
        {
          name: 'AzureWebJobsStorage__credential'
          value: 'managedidentity'
        }
        {
          name: 'AzureWebJobsStorage__clientId'
          value: identityClientId
        }
        {
          // DefaultAzureCredential (Key Vault signer) picks the user-assigned identity by this client id.
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
        }
        {
          // host.json: extensions.durableTask.hubName = "%TaskHubName%" (on the AzureWebJobsStorage account).
          name: 'TaskHubName'
          value: taskHubName
        }
        {
          // [TimerTrigger("%ScanSchedule%")]: 6-field NCrontab, UTC.
          name: 'ScanSchedule'
          value: scanSchedule
        }
        {
          // [TimerTrigger("%LaneKeeperSchedule%")]: 6-field NCrontab, UTC.
          name: 'LaneKeeperSchedule'
          value: laneKeeperSchedule
        }
        {
          name: 'FunctionKeys__default'
          value: '@Microsoft.KeyVault(SecretUri=${functionKeySecretUri})'
        }
        {
          name: 'AdminKeys__master'
          value: '@Microsoft.KeyVault(SecretUri=${adminKeySecretUri})'
        }
        {
          name: 'Ethereum__RpcUrl'
          value: ethereumRpcUrl
        }
        {
          name: 'Ethereum__ChainId'
          value: string(ethereumChainId)
        }
        {
          name: 'Signer__Mode'
          value: 'KeyVault'
        }
        {
          name: 'Signer__KeyVaultUrl'
          value: keyVaultUri
        }
        {
          name: 'Signer__KeyName'
          value: signingKeyName
        }
        {
          name: 'Scanner__Confirmations'
          value: string(scannerConfirmations)
        }
      ]
    }
  }
}

output name string = site.name
output url string = 'https://${site.properties.defaultHostName}'
