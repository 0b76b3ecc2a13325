// One account for everything the Function App touches: the Functions host (AzureWebJobsStorage: keys, locks,
// timer status), the Durable task hub (its tables, queues and lease container, created by the extension at
// start), the pipeline's ledger tables, the command queue (+ the host's poison queue), the distributions
// container and the Flex Consumption deployment container. Shared-key access is off: every caller (host,
// worker, deployment) uses the managed identity, so no key or connection string exists to leak.
param name string
param location string
param principalId string
param deploymentContainerName string

// Durable Functions on the Azure Storage provider needs all three data roles on the account (docs:
// "Identity-based connections" for Durable Functions); Blob Data Owner rather than Contributor because the
// host also manages blob leases and the deployment package.
var roles = {
  blobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource distributions 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'distributions'
  properties: {
    publicAccess: 'None'
  }
}

// Flex Consumption runs the app from the zip package the deployment puts here.
resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource commands 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: 'sto-commands'
}

// The queue trigger moves a message here after maxDequeueCount failures ("<queue>-poison"); created up front
// so alerts and tooling can point at it before the first poison message.
resource commandsPoison 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: 'sto-commands-poison'
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in items(roles): {
  name: guid(account.id, principalId, role.value)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.value)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output distributionsContainer string = distributions.name
