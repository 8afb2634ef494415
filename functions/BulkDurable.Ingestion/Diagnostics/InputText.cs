using System.Buffers;
using System.Globalization;
using System.Text;

namespace BulkDurable.Ingestion.Diagnostics;

/// <summary>
/// Input as an error message quotes it: shortened, and with every character that would be invisible
/// or act on a terminal or log (CR, LF, tab, ESC and the other C0 and C1 controls, DEL, the Unicode
/// line and paragraph separators) escaped as <c>\r</c>, <c>\n</c>, <c>\t</c> or <c>\uXXXX</c>, and
/// the backslash doubled so that an escape always means the character. A message names a stray CR
/// instead of hiding it, and a hostile field name cannot rewrite the screen that shows its rejection.
/// </summary>
public static class InputText
{
    /// <summary>Characters of input a message keeps by default.</summary>
    public const int DefaultMaxLength = 64;

    private static readonly SearchValues<char> NeedsEscape = SearchValues.Create(
        "\\\u007f\u2028\u2029" + string.Concat(Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x80, 0x20)).Select(c => (char)c)));

    /// <summary>
    /// Returns <paramref name="text"/> for a message: its first <paramref name="maxLength"/>
    /// characters (then "…"), escaped. Empty for <see langword="null"/>.
    /// </summary>
    /// <param name="text">The input, as read.</param>
    /// <param name="maxLength">Most characters of input kept (a surrogate pair is never split).</param>
    /// <returns>Text safe to put in a message, quoted or not.</returns>
    public static string Show(string? text, int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var cut = text.Length <= maxLength ? text.Length : char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        var kept = text.AsSpan(0, cut);
        var suffix = cut < text.Length ? "…" : "";
        if (!kept.ContainsAny(NeedsEscape))
        {
            return cut == text.Length ? text : string.Concat(kept, suffix);
        }

        var escaped = new StringBuilder(kept.Length + 16);
        foreach (var c in kept)
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                '\\' => escaped.Append("\\\\"),
                _ when NeedsEscape.Contains(c) => escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => escaped.Append(c),
            };
        }

        return escaped.Append(suffix).ToString();
    }
}
