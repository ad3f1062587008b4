//! Who the client is, for attempt limits and the aggregation of refusals: its address, read
//! behind the reverse proxies the operator trusts (`server.trusted_proxies`), and the bucket its
//! attempts count in (an IPv6 client is counted per /64, the smallest network a subscriber gets).
//!
//! Pure functions of the TCP peer and the request's forwarding headers: the HTTP layer only
//! hands the header values over.

use std::net::{IpAddr, Ipv6Addr};

/// One network, `address/prefix` (a bare address is a network of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `192.0.2.0/24`, `2001:db8::/32`, or a bare address; `None` when malformed or when
    /// the prefix is longer than the address.
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a.parse::<IpAddr>().ok()?, Some(p.parse::<u8>().ok()?)),
            None => (text.trim().parse::<IpAddr>().ok()?, None),
        };
        let addr = addr.to_canonical();
        let bits = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(bits);
        if prefix > bits {
            return None;
        }
        Some(Self { network: mask(addr, prefix), prefix })
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = addr.to_canonical();
        addr.is_ipv4() == self.network.is_ipv4() && mask(addr, self.prefix) == self.network
    }
}

/// The first `prefix` bits of `addr`, the rest zero.
fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let keep = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4((u32::from(a) & keep).into())
        }
        IpAddr::V6(a) => {
            let keep = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6((u128::from(a) & keep).into())
        }
    }
}

/// The reverse proxies whose forwarding headers are believed (`server.trusted_proxies`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Parses a comma-separated list of networks; empty means none. `None` if one is malformed.
    pub fn parse(text: &str) -> Option<Self> {
        let parts = text.split(',').map(str::trim).filter(|p| !p.is_empty());
        parts.map(Cidr::parse).collect::<Option<Vec<_>>>().map(Self)
    }

    pub fn contains(&self, addr: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(addr))
    }
}

/// The forwarding headers of a request, every value of each (a header may be repeated).
#[derive(Debug, Default, Clone, Copy)]
pub struct Forwarding<'a> {
    pub x_forwarded_for: &'a [&'a str],
    pub forwarded: &'a [&'a str],
}

/// The client's address. The TCP `peer`, unless it is a trusted proxy: then the hops its headers
/// list (`X-Forwarded-For`, or `Forwarded: for=` when there is none) are read from the right,
/// and the first that is not itself a trusted proxy is the client (the ones to its left were
/// written by the client and prove nothing). If every hop is trusted, the leftmost is; if a hop
/// cannot be read (`unknown`, an obfuscated name), the last trusted address before it is.
pub fn resolve(peer: IpAddr, headers: Forwarding<'_>, trusted: &TrustedProxies) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.contains(peer) {
        return peer;
    }
    let hops: Vec<&str> = if headers.x_forwarded_for.iter().any(|v| !v.trim().is_empty()) {
        headers.x_forwarded_for.iter().flat_map(|v| v.split(',')).collect()
    } else {
        headers.forwarded.iter().flat_map(|v| v.split(',')).filter_map(forwarded_for).collect()
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(addr) = hop_address(hop) else { break };
        client = addr;
        if !trusted.contains(addr) {
            break;
        }
    }
    client
}

/// The `for=` parameter of one element of a `Forwarded` header (RFC 7239).
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim().eq_ignore_ascii_case("for").then(|| value.trim())
    })
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]:4711`, possibly quoted.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(addr) = hop.parse::<IpAddr>() {
        return Some(addr.to_canonical());
    }
    if let Some(rest) = hop.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<Ipv6Addr>().ok().map(|a| IpAddr::V6(a).to_canonical());
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// What the attempts of `addr` count against: an IPv4 address itself, the /64 of an IPv6
/// address (one subscriber usually holds a whole /64 and can pick any address in it).
pub fn bucket(addr: IpAddr) -> String {
    match addr.to_canonical() {
        IpAddr::V4(a) => a.to_string(),
        v6 @ IpAddr::V6(_) => format!("{}/64", mask(v6, 64)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn trusted(s: &str) -> TrustedProxies {
        TrustedProxies::parse(s).unwrap()
    }

    fn xff<'a>(values: &'a [&'a str]) -> Forwarding<'a> {
        Forwarding { x_forwarded_for: values, forwarded: &[] }
    }

    #[test]
    fn networks_parse_and_contain() {
        let list = trusted(" 10.0.0.0/8, 192.0.2.1 ,fd00::/8,::1");
        assert!(list.contains(ip("10.200.3.4")));
        assert!(!list.contains(ip("11.0.0.1")));
        assert!(list.contains(ip("192.0.2.1")) && !list.contains(ip("192.0.2.2")));
        assert!(list.contains(ip("fd12:3456::1")) && !list.contains(ip("fe80::1")));
        assert!(list.contains(ip("::1")));
        assert!(list.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped IPv6 is the IPv4 address");
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("203.0.113.9")));
        assert!(!Cidr::parse("0.0.0.0/0").unwrap().contains(ip("2001:db8::1")));
        assert_eq!(TrustedProxies::parse(""), Some(TrustedProxies::default()));
        for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "proxy.example.fr", "10.0.0.0/", "10.0.0.0/8,x"] {
            assert_eq!(TrustedProxies::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn headers_are_ignored_unless_the_peer_is_trusted() {
        let headers = xff(&["198.51.100.1"]);
        assert_eq!(resolve(ip("203.0.113.5"), headers, &TrustedProxies::default()), ip("203.0.113.5"));
        assert_eq!(resolve(ip("203.0.113.5"), headers, &trusted("10.0.0.0/8")), ip("203.0.113.5"));
        assert_eq!(resolve(ip("10.0.0.2"), headers, &trusted("10.0.0.0/8")), ip("198.51.100.1"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let t = trusted("10.0.0.0/8");
        let peer = ip("10.0.0.2");
        assert_eq!(resolve(peer, xff(&["1.1.1.1, 198.51.100.1"]), &t), ip("198.51.100.1"), "prepended");
        assert_eq!(resolve(peer, xff(&["198.51.100.1, 10.0.0.9"]), &t), ip("198.51.100.1"), "two proxies");
        assert_eq!(resolve(peer, xff(&["1.1.1.1", "198.51.100.1,10.1.1.1"]), &t), ip("198.51.100.1"));
        assert_eq!(resolve(peer, xff(&["10.3.3.3, 10.0.0.9"]), &t), ip("10.3.3.3"), "all trusted");
        assert_eq!(resolve(peer, xff(&["garbage, 10.0.0.9"]), &t), ip("10.0.0.9"), "unreadable hop");
        assert_eq!(resolve(peer, xff(&["198.51.100.1:4711"]), &t), ip("198.51.100.1"), "with a port");
        assert_eq!(resolve(peer, xff(&["[2001:db8::5]:443"]), &t), ip("2001:db8::5"));
        assert_eq!(resolve(peer, xff(&[]), &t), peer, "no header: the proxy itself");
    }

    #[test]
    fn forwarded_is_read_when_x_forwarded_for_is_absent() {
        let t = trusted("10.0.0.0/8");
        let peer = ip("10.0.0.2");
        let forwarded =
            ["for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https", "By=10.0.0.1;For=10.0.0.8"];
        let headers = Forwarding { x_forwarded_for: &[], forwarded: &forwarded };
        assert_eq!(resolve(peer, headers, &t), ip("2001:db8:cafe::17"));
        let unknown = ["for=unknown"];
        assert_eq!(resolve(peer, Forwarding { x_forwarded_for: &[], forwarded: &unknown }, &t), peer);
        let both = Forwarding { x_forwarded_for: &["198.51.100.3"], forwarded: &forwarded };
        assert_eq!(resolve(peer, both, &t), ip("198.51.100.3"), "X-Forwarded-For first");
    }

    #[test]
    fn ipv6_clients_count_per_slash_64() {
        assert_eq!(bucket(ip("203.0.113.7")), "203.0.113.7");
        assert_eq!(bucket(ip("::ffff:203.0.113.7")), "203.0.113.7");
        assert_eq!(bucket(ip("2001:db8:1:2::a")), "2001:db8:1:2::/64");
        assert_eq!(bucket(ip("2001:db8:1:2:ffff:ffff:ffff:ffff")), "2001:db8:1:2::/64");
        assert_ne!(bucket(ip("2001:db8:1:3::a")), bucket(ip("2001:db8:1:2::a")));
    }
}
