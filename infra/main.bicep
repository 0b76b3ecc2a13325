// StoFunctions on Azure: storage (ledger tables, command queue, distribution blobs), Key Vault with the
// secp256k1 signing key (P-256K), a user-assigned identity holding only the data-plane roles it needs,
// Log Analytics + Application Insights, and a Linux App Service running the .NET 10 host.
//
// UNVALIDATED: no Bicep compiler can be installed in the environment this was written in (see README,
// "Infrastructure"). Run `az bicep build --file infra/main.bicep` and `az deployment group what-if` before use.
targetScope = 'resourceGroup'

@description('Short name used in every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(11)
param name string = 'stofunc'

@description('Azure region; defaults to the resource group\'s.')
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

@description('App Service plan SKU (Linux). B1 for trials, P0v3 or larger for production.')
param appServiceSku string = 'P0v3'

@description('Function-level key clients send as x-functions-key (stored as a Key Vault secret).')
@secure()
@minLength(32)
param functionKey string

@description('Admin key (stored as a Key Vault secret).')
@secure()
@minLength(32)
param adminKey string

var suffix = uniqueString(resourceGroup().id, name)
var signingKeyName = 'sto-signer'

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
    name: 'app-${name}-${suffix}'
    location: location
    sku: appServiceSku
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    keyVaultUri: keyVault.outputs.uri
    signingKeyName: signingKeyName
    functionKeySecretUri: keyVault.outputs.functionKeySecretUri
    adminKeySecretUri: keyVault.outputs.adminKeySecretUri
    ethereumRpcUrl: ethereumRpcUrl
    ethereumChainId: ethereumChainId
  }
}

output appUrl string = app.outputs.url
output keyVaultUri string = keyVault.outputs.uri
output signingKeyId string = keyVault.outputs.keyId
output storageAccountName string = storage.outputs.name
output identityClientId string = identity.outputs.clientId
