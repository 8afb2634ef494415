namespace BulkDurable.Functions.Security;

/// <summary>
/// How the app tells who is calling (<c>BulkDurable:Callers</c>). A caller is identified, in this order,
/// by its Microsoft Entra principal when App Service authentication (Easy Auth) is on and trusted, by the
/// function key it presents, or, where trusted (local development), by the <see cref="CallerHeader"/>;
/// otherwise it is anonymous. See docs/deploy.md, "Threat model".
/// </summary>
public sealed class CallerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "BulkDurable:Callers";

    /// <summary>The header naming the caller where <see cref="TrustCallerHeader"/> is on.</summary>
    public const string CallerHeader = "X-BulkDurable-Caller";

    /// <summary>
    /// Trust <c>x-ms-client-principal</c>, which App Service authentication sets (and strips from client
    /// requests). Only true where authentication is configured on the app: otherwise any client could send it.
    /// </summary>
    public bool TrustAppServiceAuthentication { get; set; }

    /// <summary>Trust <see cref="CallerHeader"/> (local development; never in Azure).</summary>
    public bool TrustCallerHeader { get; set; }

    /// <summary>The Entra app role that may see and command every job.</summary>
    public string OperatorRole { get; set; } = "BulkDurable.Operator";
}
