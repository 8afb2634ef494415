using BulkDurable.Testing;

[assembly: AssemblyFixture(typeof(ServersFixture))]

// Each test runs a Functions host of its own (a process with its task hub); two at a time keep a
// 2-core machine responsive.
[assembly: CollectionBehavior(MaxParallelThreads = 2)]
