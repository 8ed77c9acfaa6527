"""Other ways to reach the newsroom: its mirrors, onion service and IPFS copies, for readers
(``/mirrors/``, per edition) and for circumvention tools (``/mirrors.json``, Bypass
Censorship's mirror list, version 2.0). docs/archive.md."""
