using System.Net;
using System.Net.Sockets;

namespace Harbor.Web.Features.Notifications.Delivery;

/// <summary>The webhook's host is not a public address, and private targets are not allowed.</summary>
public sealed class TargetRefusedException(string message) : IOException(message);

/// <summary>
/// The SSRF guard for webhooks (issue 10): the bots' HTTP client connects only to public
/// addresses. The check runs where the socket is opened (SocketsHttpHandler.ConnectCallback):
/// the name is resolved at send time and the address checked is the one connected to, so a DNS
/// answer that changes between a check and the connection (rebinding) cannot slip through.
/// </summary>
public static class TargetGuard
{
    public const string HttpClientName = "harbor-bots";

    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Connect(Func<bool> allowPrivate) =>
        async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
            var permitted = allowPrivate();
            if (!permitted && addresses.FirstOrDefault(a => !IsPublic(a)) is { } blocked)
                throw new TargetRefusedException($"Refused: {host} resolves to {blocked}, which is not a public address (Harbor:Notifications:AllowPrivateTargets is off).");
            if (addresses.Length == 0)
                throw new TargetRefusedException($"Refused: {host} has no address.");

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                // The address actually connected to is checked again: it is the one that counts.
                if (!permitted && socket.RemoteEndPoint is IPEndPoint remote && !IsPublic(remote.Address))
                    throw new TargetRefusedException($"Refused: connected to {remote.Address}, which is not a public address.");
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };

    /// <summary>
    /// False for loopback, private (10/8, 172.16/12, 192.168/16), CGNAT (100.64/10), link-local
    /// (169.254/16, the cloud metadata address among them), "this network", benchmarking,
    /// multicast and reserved ranges, and their IPv6 counterparts (::1, fe80::/10, fc00::/7, ...),
    /// including IPv4 addresses wrapped in IPv6 (mapped, NAT64, 6to4).
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && (b[1] & 0xC0) == 64)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && (b[1] & 0xFE) == 18)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6Any)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (b[0] & 0xFE) == 0xFC)
            return false;
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judge that one.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            return IsPublic(new IPAddress(b[12..16]));
        if (b[0] == 0x20 && b[1] == 0x02)
            return IsPublic(new IPAddress(b[2..6]));
        // Documentation range 2001:db8::/32.
        return !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);
    }
}
