using CustomerGrains.Grains.Feed;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>Feed cursors in feed order: by the entry's (txid, seq), then the change's index in it. Pure.</summary>
public static class CursorOrder
{
    public static int Compare(ChangeCursor a, ChangeCursor b)
    {
        var byTxid = a.Entry.Txid.CompareTo(b.Entry.Txid);
        if (byTxid != 0)
        {
            return byTxid;
        }

        var bySeq = a.Entry.Seq.CompareTo(b.Entry.Seq);
        return bySeq != 0 ? bySeq : a.Index.CompareTo(b.Index);
    }
}
