namespace Ebpf.Linux.Links;

/// <summary>The netfilter hooks of the IPv4/IPv6 stack (enum nf_inet_hooks).</summary>
public enum NetfilterHook : uint
{
    /// <summary>NF_INET_PRE_ROUTING: every received packet, before routing.</summary>
    PreRouting = 0,
    /// <summary>NF_INET_LOCAL_IN: received packets for this host.</summary>
    LocalIn = 1,
    /// <summary>NF_INET_FORWARD: forwarded packets.</summary>
    Forward = 2,
    /// <summary>NF_INET_LOCAL_OUT: packets this host sends.</summary>
    LocalOut = 3,
    /// <summary>NF_INET_POST_ROUTING: every sent packet, after routing.</summary>
    PostRouting = 4,
}
