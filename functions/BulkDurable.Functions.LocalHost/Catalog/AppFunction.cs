using System.Reflection;

namespace BulkDurable.Functions.LocalHost.Catalog;

/// <summary>One function of the app, as <c>functions.metadata</c> declares it and reflection resolves it.</summary>
/// <param name="Name">The function name (for Durable functions, the name orchestrations, activities and entities are addressed by).</param>
/// <param name="Trigger">The trigger kind.</param>
/// <param name="Method">The method the Functions worker would invoke (the metadata's entry point).</param>
/// <param name="TriggerParameter">The parameter the trigger binds.</param>
/// <param name="Http">The route, for HTTP functions.</param>
/// <param name="Timer">The schedule, for timer functions.</param>
public sealed record AppFunction(string Name, TriggerKind Trigger, MethodInfo Method, ParameterInfo TriggerParameter, HttpRoute? Http, TimerSchedule? Timer = null);
