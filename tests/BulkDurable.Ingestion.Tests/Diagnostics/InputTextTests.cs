using BulkDurable.Ingestion.Diagnostics;

namespace BulkDurable.Ingestion.Tests.Diagnostics;

public sealed class InputTextTests
{
    [Theory]
    [InlineData("plain, \"quoted\" é ✓", "plain, \"quoted\" é ✓")]
    [InlineData("b\r1", "b\\r1")]
    [InlineData("a\nb\tc", "a\\nb\\tc")]
    [InlineData("\u001b[31mred\u001b[0m", "\\u001b[31mred\\u001b[0m")]
    [InlineData("\0\u0007\u007f\u0085\u009b", "\\u0000\\u0007\\u007f\\u0085\\u009b")]
    [InlineData("line\u2028para\u2029", "line\\u2028para\\u2029")]
    [InlineData("C:\\temp\\r", "C:\\\\temp\\\\r")]
    [InlineData(null, "")]
    public void Control_characters_are_escaped_and_a_backslash_is_doubled_so_an_escape_always_means_the_character(string? input, string shown) =>
        Assert.Equal(shown, InputText.Show(input));

    [Fact]
    public void Long_input_is_cut_with_an_ellipsis_before_it_is_escaped_and_never_inside_a_surrogate_pair()
    {
        Assert.Equal(new string('x', 64) + "…", InputText.Show(new string('x', 100)));
        Assert.Equal("ab…", InputText.Show("ab\ncd", 2));
        Assert.Equal("a…", InputText.Show("a😀b", 2));
    }
}
