// Private endpoints and private DNS zones for the private deployment (vnetEnabled): Storage blob,
// queue and table (Durable Functions and payloads) and the PostgreSQL flexible server.

@description('Azure region of the private endpoints (the region of the virtual network).')
param location string

@description('Tags applied to every resource.')
param tags object = {}

@description('Resource id of the virtual network the DNS zones are linked to.')
param virtualNetworkId string

@description('Resource id of the private endpoint subnet.')
param privateEndpointSubnetId string

@description('Resource id of the storage account.')
param storageAccountId string

@description('Resource id of the PostgreSQL flexible server.')
param postgresServerId string

var storageServices = [
  'blob'
  'queue'
  'table'
]

var storageAccountName = last(split(storageAccountId, '/'))
var postgresServerName = last(split(postgresServerId, '/'))

module storageZones 'private-dns-zone.bicep' = [
  for service in storageServices: {
    name: 'dns-storage-${service}'
    params: {
      zoneName: 'privatelink.${service}.${environment().suffixes.storage}'
      virtualNetworkId: virtualNetworkId
      tags: tags
    }
  }
]

module storageEndpoints 'private-endpoint.bicep' = [
  for (service, i) in storageServices: {
    name: 'pe-storage-${service}'
    params: {
      name: 'pe-${storageAccountName}-${service}'
      location: location
      tags: tags
      subnetId: privateEndpointSubnetId
      privateLinkServiceId: storageAccountId
      groupId: service
      privateDnsZoneId: storageZones[i].outputs.id
    }
  }
]

module postgresZone 'private-dns-zone.bicep' = {
  name: 'dns-postgres'
  params: {
    // Private DNS zone of the PostgreSQL flexible server private endpoint (public Azure cloud).
    zoneName: 'privatelink.postgres.database.azure.com'
    virtualNetworkId: virtualNetworkId
    tags: tags
  }
}

module postgresEndpoint 'private-endpoint.bicep' = {
  name: 'pe-postgres'
  params: {
    name: 'pe-${postgresServerName}'
    location: location
    tags: tags
    subnetId: privateEndpointSubnetId
    privateLinkServiceId: postgresServerId
    groupId: 'postgresqlServer'
    privateDnsZoneId: postgresZone.outputs.id
  }
}

@description('Resource ids of the storage private endpoints (blob, queue, table).')
output storagePrivateEndpointIds array = [for (service, i) in storageServices: storageEndpoints[i].outputs.id]

@description('Resource id of the PostgreSQL private endpoint.')
output postgresPrivateEndpointId string = postgresEndpoint.outputs.id
