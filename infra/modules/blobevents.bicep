// Flex Consumption runs the blob trigger only on the Event Grid source (no container polling there), so a CSV
// dropped into distributions/ reaches [BlobTrigger(..., Source = EventGrid)] through this subscription to the
// host's blob-extension webhook. Deploy it in a second pass, after the app's code: Event Grid validates the
// webhook when the subscription is created, and the blobs_extension system key exists only once the host ran.
param location string
param storageAccountName string
param functionAppName string
param blobFunctionName string
param containerName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource topic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${storageAccountName}'
  location: location
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource toFunction 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: topic
  name: 'distributions-to-${blobFunctionName}'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${site.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.${blobFunctionName}&code=${listKeys('${site.id}/host/default', '2024-04-01').systemKeys.blobs_extension}'
      }
    }
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${containerName}/blobs/'
      subjectEndsWith: '.csv'
    }
    eventDeliverySchema: 'EventGridSchema'
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}
