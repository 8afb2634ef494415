// One private endpoint for one sub-resource (group id) of a service, registered in a private DNS zone.

@description('Name of the private endpoint.')
param name string

@description('Azure region of the private endpoint (the region of its virtual network).')
param location string

@description('Tags applied to the private endpoint.')
param tags object = {}

@description('Resource id of the subnet that hosts the private endpoint.')
param subnetId string

@description('Resource id of the target resource (storage account or PostgreSQL flexible server).')
param privateLinkServiceId string

@description('Private link sub-resource: blob, queue, table (Storage) or postgresqlServer (PostgreSQL).')
@allowed([
  'blob'
  'queue'
  'table'
  'postgresqlServer'
])
param groupId string

@description('Resource id of the private DNS zone in which the endpoint registers its address.')
param privateDnsZoneId string

resource privateEndpoint 'Microsoft.Network/privateEndpoints@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: privateLinkServiceId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2025-01-01' = {
  parent: privateEndpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

@description('Resource id of the private endpoint.')
output id string = privateEndpoint.id
