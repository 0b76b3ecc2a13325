// StoFunctions on Azure: a Function App on Flex Consumption (.NET 10 isolated worker, Durable Functions on the
// Azure Storage provider), one storage account (host, task hub, ledger tables, command queue, distribution
// blobs, deployment package) reached only through a user-assigned identity, Key Vault with the secp256k1
// signing key (P-256K), Log Analytics + Application Insights.
//
// Compiled and linted by `./dev test` (Bicep 0.49.2 from NuGet, tools/bicep/bicep.proj); run
// `az deployment group what-if` before the first deployment.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'stofunc'

@description('Azure region; defaults to the resource group\'s. It must offer Flex Consumption with dotnet-isolated 10.0 (az functionapp list-flexconsumption-runtimes -l <region> --runtime dotnet-isolated).')
param location string = resourceGroup().location

@description('Ethereum JSON-RPC endpoint the pipeline talks to.')
param ethereumRpcUrl string

@description('Chain id of that endpoint (e.g. 1 mainnet, 11155111 Sepolia).')
param ethereumChainId int

@description('EC-HSM keeps the signing key in an HSM and needs the premium vault SKU; EC is software-protected (standard SKU).')
@allowed([
  'EC-HSM'
  'EC'
])
param signingKeyType string = 'EC-HSM'

@description('Function-level key clients send as x-functions-key (stored as a Key Vault secret).')
@secure()
@minLength(32)
param functionKey string

@description('Admin key (stored as a Key Vault secret).')
@secure()
@minLength(32)
param adminKey string

@description('NCrontab schedule (6 fields, UTC) of the token-event scan timer (app setting ScanSchedule).')
param scanSchedule string = '0 * * * * *'

@description('NCrontab schedule (6 fields, UTC) of the LaneKeeper timer (app setting LaneKeeperSchedule): starts the lane orchestration when it is not running and re-plans commands a crash interrupted. Each run wakes the app.')
param laneKeeperSchedule string = '0 * * * * *'

@description('Durable Functions task hub on the storage account (app setting TaskHubName; letters and digits, starting with a letter).')
@minLength(3)
@maxLength(45)
param taskHubName string = 'stofunctions'

@description('Blocks the scanner stays behind the head (Scanner__Confirmations).')
@minValue(0)
param scannerConfirmations int = 12

@description('Flex Consumption: most instances the app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: memory per instance.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Second pass, after the code is deployed: subscribe the blob function to BlobCreated events of the distributions container (Flex Consumption has no polling blob trigger).')
param subscribeBlobEvents bool = false

@description('Name of the [Function] with the distributions blob trigger (its webhook is Host.Functions.<name>).')
param blobFunctionName string = 'DistributionBlob'

var suffix = uniqueString(resourceGroup().id, name)
var signingKeyName = 'sto-signer'
var deploymentContainerName = 'app-package'
var functionAppName = 'func-${name}-${suffix}'

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: 'id-${name}-${suffix}'
    location: location
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    name: '${name}-${suffix}'
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: take('st${name}${suffix}', 24)
    location: location
    principalId: identity.outputs.principalId
    deploymentContainerName: deploymentContainerName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: take('kv-${name}-${suffix}', 24)
    location: location
    principalId: identity.outputs.principalId
    keyName: signingKeyName
    keyType: signingKeyType
    functionKey: functionKey
    adminKey: adminKey
  }
}

module app 'modules/app.bicep' = {
  name: 'app'
  params: {
    name: functionAppName
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    signingKeyName: signingKeyName
    functionKeySecretUri: keyVault.outputs.functionKeySecretUri
    adminKeySecretUri: keyVault.outputs.adminKeySecretUri
    ethereumRpcUrl: ethereumRpcUrl
    ethereumChainId: ethereumChainId
    scanSchedule: scanSchedule
    laneKeeperSchedule: laneKeeperSchedule
    taskHubName: taskHubName
    scannerConfirmations: scannerConfirmations
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module blobEvents 'modules/blobevents.bicep' = if (subscribeBlobEvents) {
  name: 'blobevents'
  params: {
    location: location
    storageAccountName: storage.outputs.name
    functionAppName: app.outputs.name
    blobFunctionName: blobFunctionName
    containerName: storage.outputs.distributionsContainer
  }
}

output functionAppName string = app.outputs.name
output appUrl string = app.outputs.url
output keyVaultUri string = keyVault.outputs.uri
output signingKeyId string = keyVault.outputs.keyId
output storageAccountName string = storage.outputs.name
output identityClientId string = identity.outputs.clientId
