// A private DNS zone linked to the virtual network, so that the public host names of Storage and
// PostgreSQL resolve to their private endpoint addresses from inside the network.

@description('Name of the private DNS zone, e.g. privatelink.blob.core.windows.net.')
param zoneName string

@description('Resource id of the virtual network to link.')
param virtualNetworkId string

@description('Tags applied to the zone and the link.')
param tags object = {}

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: zoneName
  location: 'global'
  tags: tags
}

resource virtualNetworkLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: 'link-${last(split(virtualNetworkId, '/'))}'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: virtualNetworkId
    }
  }
}

@description('Resource id of the private DNS zone.')
output id string = zone.id
