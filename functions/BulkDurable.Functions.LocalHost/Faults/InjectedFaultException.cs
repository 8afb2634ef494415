namespace BulkDurable.Functions.LocalHost.Faults;

/// <summary>The failure <see cref="HostFaultAction.Throw"/> raises: permanent, as an unexpected bug would be.</summary>
public sealed class InjectedFaultException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InjectedFaultException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public InjectedFaultException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public InjectedFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
