// User-assigned managed identity used by the function app for everything: host storage (Durable
// Functions), payload blobs, deployment package, PostgreSQL (Entra token) and Application Insights.

@description('Name of the user-assigned managed identity. It is also the PostgreSQL role name of the app.')
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

@description('Name of the identity (the PostgreSQL user name of the app).')
output name string = identity.name

@description('Client (application) id of the identity, used by DefaultAzureCredential and the Functions host.')
output clientId string = identity.properties.clientId

@description('Object (principal) id of the identity, used for role assignments and the PostgreSQL Entra administrator.')
output principalId string = identity.properties.principalId
