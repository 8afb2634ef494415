namespace BulkDurable.Cli.Api;

/// <summary>Hides secrets a URL may carry in its query (a function key as <c>code</c>, a SAS signature as <c>sig</c>) before it is printed.</summary>
internal static class UrlRedaction
{
    private static readonly string[] SecretParameters = ["code", "sig"];

    /// <summary>The URL with secret query values replaced by <c>***</c>.</summary>
    public static string Redact(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Query.Length <= 1)
        {
            return url.ToString();
        }

        var parameters = url.Query[1..].Split('&').Select(parameter =>
        {
            var name = parameter.Split('=', 2)[0];
            return SecretParameters.Contains(name, StringComparer.OrdinalIgnoreCase) ? name + "=***" : parameter;
        });
        return url.GetLeftPart(UriPartial.Path) + "?" + string.Join('&', parameters);
    }
}
