using Microsoft.DurableTask.Entities;

namespace BulkDurable.Functions.Tests.Fakes;

/// <summary>Entity state held in memory, as the durabletask-dotnet tests do it.</summary>
internal sealed class TestEntityState(object? state) : TaskEntityState
{
    public object? Value { get; private set; } = state;

    public override bool HasState => Value is not null;

    public override object? GetState(Type type) => Value;

    public override void SetState(object? state) => Value = state;
}

/// <summary>One operation on an entity, with its input already deserialized.</summary>
internal sealed class TestEntityOperation(string name, TaskEntityState state, TaskEntityContext context, object? input) : TaskEntityOperation
{
    public override string Name => name;

    public override TaskEntityContext Context => context;

    public override TaskEntityState State => state;

    public override bool HasInput => input is not null;

    public override object? GetInput(Type inputType) => input;
}
