using BulkDurable.Testing;

[assembly: AssemblyFixture(typeof(ServersFixture))]
