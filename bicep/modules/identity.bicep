// A user-assigned managed identity. main.bicep creates two, both attached to the function app: the
// host identity (AzureWebJobsStorage, Durable Functions backend, deployment package, Application
// Insights) and the app identity (payload container, upload URLs, PostgreSQL), so that each holds
// only the roles of its own use.

@description('Name of the user-assigned managed identity (for the app identity, also its PostgreSQL role name).')
param name string

@description('Azure region of the identity.')
param location string

@description('Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output id string = identity.id

@description('Name of the identity.')
output name string = identity.name

@description('Client (application) id of the identity, used by DefaultAzureCredential and the Functions host.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, used for role assignments and its PostgreSQL role.')
output principalId string = identity.properties.principalId
