using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CustomerGrains.Grains.Storage;

namespace CustomerGrains.Grains.Feed;

/// <summary>
/// A position in a store's change feed, after one change: the journal entry's position, the change's index within the
/// entry, and when the entry was recorded (what tells a cursor older than the feed's retention). Written as opaque
/// base64url text; anything else is refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("cg.ChangeCursor")]
public sealed record ChangeCursor(
    [property: Id(0)] FeedPosition Entry,
    [property: Id(1)] int Index,
    [property: Id(2)] long RecordedAtUnixMs)
{
    private const string Version = "c1";

    public string Text => Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Join('.',
        Version, Entry.Txid.ToString(CultureInfo.InvariantCulture), Entry.Seq.ToString(CultureInfo.InvariantCulture),
        Index.ToString(CultureInfo.InvariantCulture), RecordedAtUnixMs.ToString(CultureInfo.InvariantCulture))));

    public override string ToString() => Text;

    public static bool TryParse(string? text, out ChangeCursor? cursor)
    {
        cursor = null;
        var bytes = new byte[90];
        if (string.IsNullOrEmpty(text) || text.Length > 120 || !Base64Url.TryDecodeFromChars(text, bytes, out var written))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(bytes, 0, written).Split('.');
        if (parts is not [Version, var txid, var seq, var index, var at]
            || !long.TryParse(txid, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            || !long.TryParse(seq, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            || !int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var a))
        {
            return false;
        }

        cursor = new ChangeCursor(new FeedPosition(t, s), i, a);
        return true;
    }
}
