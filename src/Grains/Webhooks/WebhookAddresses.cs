using System.Net;
using System.Net.Sockets;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// Which addresses a webhook must not reach unless allowed (SSRF): the kind of a private, loopback, link-local,
/// unique-local, multicast, unspecified or otherwise reserved address, or null for one on the public internet. IPv4 inside
/// IPv6 (mapped <c>::ffff:a.b.c.d</c>, compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4 <c>2002::/16</c>) is judged
/// as the IPv4 address it carries. Pure.
/// </summary>
public static class WebhookAddresses
{
    public static string? Forbidden(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && Embedded(address) is { } inner)
        {
            return Forbidden(inner);
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => V6(address),
            _ => "non-IP",
        };
    }

    private static string? V4(byte[] b) => (b[0], b[1]) switch
    {
        (0, _) => b is [0, 0, 0, 0] ? "unspecified" : "reserved (0.0.0.0/8)",
        (127, _) => "loopback",
        (10, _) or (172, >= 16 and <= 31) or (192, 168) => "private",
        (100, >= 64 and <= 127) => "private (shared address space)",
        (169, 254) => "link-local",
        (192, 0) when b[2] == 0 => "reserved (192.0.0.0/24)",
        (198, 18 or 19) => "reserved (benchmarking)",
        ( >= 224 and <= 239, _) => "multicast",
        ( >= 240, _) => b is [255, 255, 255, 255] ? "broadcast" : "reserved (240.0.0.0/4)",
        _ => null,
    };

    private static string? V6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        return b[0] switch
        {
            0xff => "multicast",
            0xfe when (b[1] & 0xc0) == 0x80 => "link-local",
            0xfe when (b[1] & 0xc0) == 0xc0 => "private (site-local)",
            0xfc or 0xfd => "unique-local",
            0x01 when b[1] == 0x00 && b.AsSpan(2, 6).IndexOfAnyExcept((byte)0) < 0 => "reserved (discard)",
            _ => null,
        };
    }

    /// <summary>The IPv4 address an IPv6 address carries, in the forms that route to it.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var b = address.GetAddressBytes();
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
        {
            return new IPAddress(b.AsSpan(12, 4)); // IPv4-compatible ::a.b.c.d (not :: or ::1)
        }

        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0)
        {
            return new IPAddress(b.AsSpan(12, 4)); // NAT64 64:ff9b::a.b.c.d
        }

        return b[0] == 0x20 && b[1] == 0x02 ? new IPAddress(b.AsSpan(2, 4)) : null; // 6to4 2002:aabb:ccdd::
    }
}
