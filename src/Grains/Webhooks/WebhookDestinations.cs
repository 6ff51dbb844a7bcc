using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CustomerGrains.Grains.Webhooks;

/// <summary>
/// Where a webhook may deliver: http or https URLs whose host is, or resolves only to, public addresses
/// (<see cref="WebhookAddresses"/>), unless the host or the address is listed in <see cref="WebhookOptions.AllowedHosts"/>.
/// Checked when a webhook is created and again at each connection the sender opens (<see cref="ConnectAsync"/>), which
/// connects only to the addresses it checked: a name that later resolves elsewhere (DNS rebinding) is refused then.
/// </summary>
public sealed class WebhookDestinations(IOptions<WebhookOptions> options)
{
    public const int MaxUrlLength = 2048;

    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Why the text is not a URL a webhook may have, or null with the URL.</summary>
    public static string? Parse(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxUrlLength)
        {
            return $"must be an absolute http or https URL of at most {MaxUrlLength} characters";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.Host.Length == 0)
        {
            return "must be an absolute http or https URL";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "must not carry a user name or password";
        }

        if (parsed.Fragment.Length > 0)
        {
            return "must not have a fragment";
        }

        url = parsed;
        return null;
    }

    /// <summary>Why the URL's host may not be reached now, or null when it may.</summary>
    public async Task<string?> RefusedAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            _ = await AddressesAsync(url.IdnHost, cancellationToken);
            return null;
        }
        catch (WebhookDestinationException refused)
        {
            return refused.Message;
        }
    }

    /// <summary>The sender's connect callback: connects to the host's addresses once each is allowed.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await AddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The host's addresses, each of them allowed; refused with the reason otherwise.</summary>
    private async Task<IPAddress[]> AddressesAsync(string host, CancellationToken cancellationToken)
    {
        var name = host.Trim('[', ']');
        var allowedHost = options.Value.AllowedHosts.Any(h => string.Equals(h.Trim('[', ']'), name, StringComparison.OrdinalIgnoreCase));
        IPAddress[] addresses;
        if (IPAddress.TryParse(name, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(name, timeout.Token);
            }
            catch (Exception error) when (error is SocketException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new WebhookDestinationException($"the host '{name}' does not resolve");
            }

            if (addresses.Length == 0)
            {
                throw new WebhookDestinationException($"the host '{name}' does not resolve");
            }
        }

        if (!allowedHost)
        {
            foreach (var address in addresses)
            {
                if (WebhookAddresses.Forbidden(address) is { } kind && !Allowed(address))
                {
                    throw new WebhookDestinationException(
                        $"'{name}' is{(literal is null ? $" resolved to {address}," : "")} a {kind} address; list it in CustomerGrains:Webhooks:AllowedHosts to allow it");
                }
            }
        }

        return addresses;
    }

    private bool Allowed(IPAddress address) =>
        options.Value.AllowedHosts.Any(h => IPAddress.TryParse(h.Trim('[', ']'), out var listed)
            && (listed.Equals(address) || (address.IsIPv4MappedToIPv6 && listed.Equals(address.MapToIPv4()))));
}
