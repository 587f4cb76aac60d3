using Ebpf.Cli.Arguments;

namespace Ebpf.Cli.Tests.Arguments;

public class ArgumentTests
{
    private static readonly ObjectReferenceKind[] MapRefs = [ObjectReferenceKind.Id, ObjectReferenceKind.Pinned, ObjectReferenceKind.Name];

    [Theory]
    [InlineData("id 12", "Id", "12")]
    [InlineData("pinned /sys/fs/bpf/x", "Pinned", "/sys/fs/bpf/x")]
    [InlineData("name blocklist", "Name", "blocklist")]
    public void ObjectReference_ParsesBpftoolForms(string text, string kind, string value)
    {
        string[] args = [.. text.Split(' '), "key", "1"];
        int index = 0;
        ObjectReference r = ObjectReference.Parse(args, ref index, "map", MapRefs);
        Assert.Equal(new ObjectReference(Enum.Parse<ObjectReferenceKind>(kind), value), r);
        Assert.Equal(2, index);
    }

    [Theory]
    [InlineData("tag 0123456789abcdef", "expected map as id ID | pinned FILE | name NAME, got 'tag'")]
    [InlineData("id x", "can't parse map id 'x'")]
    [InlineData("id", "'id' needs a value")]
    [InlineData("name this_name_is_too_long", "at most 15 characters")]
    [InlineData("", "expected map as")]
    public void ObjectReference_RejectsWithBpftoolWording(string text, string message)
    {
        string[] args = text.Length == 0 ? [] : text.Split(' ');
        int index = 0;
        var e = Assert.Throws<FormatException>(() => ObjectReference.Parse(args, ref index, "map", MapRefs));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("1 0 0 0 value 5", new byte[] { 1, 0, 0, 0 }, 4)]
    [InlineData("0x7f 010 255", new byte[] { 0x7f, 8, 255 }, 3)]
    [InlineData("hex 0a ff 00 value", new byte[] { 0x0a, 0xff, 0 }, 4)]
    public void ByteList_ParsesDecimalOctalHex(string text, byte[] expected, int nextIndex)
    {
        string[] args = text.Split(' ');
        int index = 0;
        Assert.Equal(expected, ByteList.Parse(args, ref index, "key"));
        Assert.Equal(nextIndex, index);
    }

    [Theory]
    [InlineData("256", "a byte is 0-255")]
    [InlineData("hex 123", "two hex digits")]
    [InlineData("value", "expected key bytes")]
    [InlineData("09", "octal")]
    public void ByteList_RejectsBadBytes(string text, string message)
    {
        int index = 0;
        var e = Assert.Throws<FormatException>(() => ByteList.Parse(text.Split(' '), ref index, "key"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ByteList_FormatsAndChecksSize()
    {
        Assert.Equal("01 ab 00", ByteList.Format([1, 0xab, 0]));
        var e = Assert.Throws<FormatException>(() => ByteList.CheckSize([1, 2], 4, "key"));
        Assert.Equal("key expected 4 bytes got 2", e.Message);
    }
}
