// The host: one Linux App Service running the .NET 10 app (HTTP functions plus the queue, blob and timer
// listeners, which need Always On). Settings use the same names as local.settings.json Values.
param name string
param location string
param sku string
param identityId string
param identityClientId string
param storageAccountName string
param appInsightsConnectionString string
param keyVaultUri string
param signingKeyName string
param functionKeySecretUri string
param adminKeySecretUri string
param ethereumRpcUrl string
param ethereumChainId int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'asp-${name}'
  location: location
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  kind: 'app,linux'
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
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      appCommandLine: 'dotnet StoFunctions.dll'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/api/health'
      appSettings: [
        {
          name: 'ASPNETCORE_HTTP_PORTS'
          value: '8080'
        }
        {
          name: 'WEBSITES_PORT'
          value: '8080'
        }
        {
          name: 'AZURE_CLIENT_ID'
          value: identityClientId
        }
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
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: appInsightsConnectionString
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
      ]
    }
  }
}

output url string = 'https://${site.properties.defaultHostName}'
