# fetchurl (docs/network.md, "fetchurl"): an HTTP/1.1 client on lib/net
# through nic_router that downloads URLs to files of lib/vfs, with
# progress reports, redirects, retries with back-off, resume by Range
# requests, a timeout and the SHA-256 of what it wrote.
NAME := fetchurl
KIND := component
LIBS := net_nic net nic_session vfs sha256 report_session
