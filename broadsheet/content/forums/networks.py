"""Address ranges as bans hold them (see :mod:`.bans`)."""

from __future__ import annotations

import ipaddress

from django.utils.translation import gettext as _

#: the widest ranges a ban may hold (prefix lengths): an IPv4 /16 (65,536 addresses), an IPv6
#: /32 (a whole provider's allocation); a wider one (``0.0.0.0/0`` typed by mistake) would shut
#: the forums to everyone
WIDEST_PREFIX = {4: 16, 6: 32}


def normalise_network(text: str) -> str:
    """``text`` (an address or a network) as the network a ban holds: an IPv6 address becomes
    its /64, anything else its network (``ValueError`` for what is neither, and for a range
    wider than :data:`WIDEST_PREFIX`)."""
    text = text.strip()
    if "/" not in text:
        ip = ipaddress.ip_address(text)
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped:
                return str(ip.ipv4_mapped)
            return str(ipaddress.IPv6Network((ip, 64), strict=False))
        return str(ip)
    network = ipaddress.ip_network(text, strict=False)
    widest = WIDEST_PREFIX[network.version]
    if network.prefixlen < widest:
        raise ValueError(
            _("%(network)s is too wide a range to ban: at most /%(widest)s for IPv%(version)s.")
            % {"network": text, "widest": widest, "version": network.version}
        )
    return str(network)
