using System.Net;
using CreditRisk.DevBroker.Protocol;

namespace CreditRisk.DevBroker.Groups;

internal static class RequestContextExtensions
{
    /// <summary>The member's host as Kafka reports it in DescribeGroups: "/" followed by the IP address.</summary>
    public static string ClientHost(this RequestContext context) => context.RemoteEndPoint switch
    {
        IPEndPoint { Address.IsIPv4MappedToIPv6: true } endPoint => "/" + endPoint.Address.MapToIPv4(),
        IPEndPoint endPoint => "/" + endPoint.Address,
        null => "",
        var other => other.ToString() ?? "",
    };
}
