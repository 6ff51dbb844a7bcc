namespace CustomerGrains.Grains.Profiles;

/// <summary>
/// E-mail addresses trimmed and lower-cased, kept when they look deliverable: one '@'; a local part of 1–64
/// characters (letters, digits, any non-ASCII letter, and <c>!#$%&amp;'*+/=?^_`{|}~.-</c>; dots neither first,
/// last nor doubled); a domain of at least two dot-separated labels of letters, digits and inner hyphens (1–63
/// each), whose last label has a letter; at most 254 characters in all.
/// </summary>
/// <remarks>
/// Our own rule, not <see cref="System.Net.Mail.MailAddress"/>: that accepts what a message header may hold, not what
/// a profile should: display names (<c>Ana &lt;ana@example.com&gt;</c>), comments, quoted local parts, domains without
/// a dot (<c>ana@localhost</c>) and IP literals. The rule is the common "dot-atom" subset of RFC 5321/5322 with
/// internationalised letters allowed: what mail services accept at sign-up. Lower-casing the local part is not what
/// RFC 5321 promises, but it is what every large provider does, and one customer must not become two over a capital.
/// </remarks>
public static class EmailAddresses
{
    private const string Specials = "!#$%&'*+/=?^_`{|}~-";

    public static TraitReading Read(string text)
    {
        var address = text.Trim().ToLowerInvariant();
        var at = address.IndexOf('@');
        if (at < 0 || at != address.LastIndexOf('@'))
        {
            return TraitReading.Unreadable("not an e-mail address: it needs exactly one '@'");
        }

        if (address.Length > 254)
        {
            return TraitReading.Unreadable("not an e-mail address: longer than 254 characters");
        }

        var (local, domain) = (address[..at], address[(at + 1)..]);
        if (!IsLocalPart(local))
        {
            return TraitReading.Unreadable("not an e-mail address: the part before '@' is empty, too long or has characters an address cannot have");
        }

        if (!IsDomain(domain))
        {
            return TraitReading.Unreadable("not an e-mail address: the domain must be names separated by dots, such as example.com");
        }

        return TraitReading.Read(address);
    }

    private static bool IsLocalPart(string local) =>
        local.Length is >= 1 and <= 64
        && local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal)
        && local.All(c => char.IsAsciiLetterOrDigit(c) || c == '.' || Specials.Contains(c) || (c > 0x7f && char.IsLetterOrDigit(c)));

    private static bool IsDomain(string domain)
    {
        var labels = domain.Split('.');
        return labels.Length >= 2
            && labels.All(IsLabel)
            && labels[^1].Any(char.IsLetter);
    }

    private static bool IsLabel(string label) =>
        label.Length is >= 1 and <= 63
        && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || (c > 0x7f && char.IsLetterOrDigit(c)));
}
