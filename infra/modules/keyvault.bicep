// The signing key never leaves Key Vault: the app signs transaction digests with ES256K on this P-256K key.
// The identity may use the key (Key Vault Crypto User, on the key only) and read the two function-key secrets.
param name string
param location string
param principalId string
param keyName string

@allowed([
  'EC-HSM'
  'EC'
])
param keyType string

@secure()
param functionKey string

@secure()
param adminKey string

var cryptoUserRole = '12338af0-0e69-4776-bea7-57ae8d297424'
var secretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      // HSM-protected keys need the premium SKU.
      name: keyType == 'EC-HSM' ? 'premium' : 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: keyName
  properties: {
    kty: keyType
    curveName: 'P-256K'
    keyOps: [
      'sign'
      'verify'
    ]
  }
}

resource functionKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'function-key-default'
  properties: {
    value: functionKey
  }
}

resource adminKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'admin-key-master'
  properties: {
    value: adminKey
  }
}

resource keyUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signingKey.id, principalId, cryptoUserRole)
  scope: signingKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', cryptoUserRole)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, secretsUserRole)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRole)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

output uri string = vault.properties.vaultUri
output keyId string = signingKey.properties.keyUri
output functionKeySecretUri string = functionKeySecret.properties.secretUri
output adminKeySecretUri string = adminKeySecret.properties.secretUri
