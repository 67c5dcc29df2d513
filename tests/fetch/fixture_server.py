#!/usr/bin/env python3
"""A local HTTP server for the fetcher's tests and benchmark (127.0.0.1 only).

usage: fixture_server.py [--root DIR] [--port N] [--lifetime SECONDS]
                         [--bench-items N] [--bench-latency-ms N]

Prints "port N" on its first line once it listens, then serves until killed,
until --lifetime seconds have passed, or until its parent process is gone.
Fixture files may contain {{BASE}}, replaced by "http://127.0.0.1:PORT".

Paths:
  /static/FILE[?ct=TYPE]         the file, Content-Type TYPE (default by extension)
  /etag/FILE                     with an ETag; If-None-Match that matches gets 304
  /lastmod/FILE                  with a Last-Modified; an equal If-Modified-Since gets 304
  /gzip/FILE, /deflate/FILE      compressed (406 unless the client accepts it)
  /redirect/N?to=PATH            a chain of N redirects ending at PATH
  /loop/a, /loop/b               redirects to each other, forever
  /redirect-file                 redirects to file:///etc/passwd
  /flaky/KEY?fail=N&to=PATH      500 for the first N requests with this KEY, then PATH's answer
  /slow?ms=N                     answers after N milliseconds
  /big?bytes=N[&chunked=1]       N bytes of body (no Content-Length if chunked)
  /status/CODE                   that status
  /charset/ENC/MODE/FILE         FILE (UTF-8) re-encoded to ENC; MODE says where the charset is
                                 declared: header (Content-Type), meta (<meta charset>) or none
  /bench/feed.xml, /bench/page/I.html   a feed of --bench-items items and their pages
  /_requests                     JSON list of the requests so far (path and some headers)
  /_stats                        {"requests": N, "max_active": most requests in progress at once}
"""
import argparse
import gzip
import hashlib
import json
import os
import sys
import threading
import time
import zlib
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TYPES = {'.xml': 'application/xml', '.json': 'application/feed+json', '.html': 'text/html; charset=utf-8',
         '.txt': 'text/plain; charset=utf-8'}
LAST_MODIFIED = 'Sun, 01 Jun 2025 08:00:00 GMT'


class State:
    def __init__(self, root, bench_items, bench_latency, robots=None):
        self.root = root
        self.robots = robots
        self.bench_items = bench_items
        self.bench_latency = bench_latency
        self.lock = threading.Lock()
        self.requests = []
        self.flaky = {}
        self.active = 0
        self.max_active = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'xinwen-fixture/1'
    # Headers and body go out in separate writes: without this, Nagle's
    # algorithm and the client's delayed ACK add 40 ms to every answer.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    @property
    def state(self):
        return self.server.state

    def base(self):
        return 'http://127.0.0.1:%d' % self.server.server_address[1]

    def send(self, code, body=b'', headers=None):
        self.send_response(code)
        headers = headers or {}
        for k, v in headers.items():
            self.send_header(k, v)
        if code != 304:
            self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        if body and code != 304:
            self.wfile.write(body)

    def load(self, name):
        path = os.path.normpath(os.path.join(self.state.root, name))
        if not path.startswith(os.path.abspath(self.state.root) + os.sep) or not os.path.isfile(path):
            return None
        with open(path, 'rb') as f:
            return f.read().replace(b'{{BASE}}', self.base().encode())

    def content_type(self, name, query):
        if 'ct' in query:
            return query['ct'][0]
        return TYPES.get(os.path.splitext(name)[1], 'application/octet-stream')

    def serve_file(self, name, query, extra=None):
        body = self.load(name)
        if body is None:
            return self.send(404, b'not found\n', {'Content-Type': 'text/plain'})
        headers = {'Content-Type': self.content_type(name, query)}
        if 'cl' in query:
            headers['Content-Location'] = query['cl'][0]
        headers.update(extra or {})
        self.send(200, body, headers)

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        path = url.path
        with self.state.lock:
            self.state.requests.append({
                'time': time.monotonic(),
                'path': self.path,
                'if_none_match': self.headers.get('If-None-Match', ''),
                'if_modified_since': self.headers.get('If-Modified-Since', ''),
                'accept_encoding': self.headers.get('Accept-Encoding', ''),
                'user_agent': self.headers.get('User-Agent', ''),
            })
        counted = not path.startswith('/_')
        if counted:
            with self.state.lock:
                self.state.active += 1
                self.state.max_active = max(self.state.max_active, self.state.active)
        try:
            self.route(path, query)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            if counted:
                with self.state.lock:
                    self.state.active -= 1

    def route(self, path, query):
        parts = path.strip('/').split('/')
        head = parts[0]
        rest = '/'.join(parts[1:])
        if head == 'static':
            return self.serve_file(rest, query)
        if head == 'etag':
            body = self.load(rest)
            if body is None:
                return self.send(404)
            tag = '"%s"' % hashlib.sha1(body).hexdigest()[:12]
            if self.headers.get('If-None-Match') == tag:
                return self.send(304, headers={'ETag': tag})
            return self.serve_file(rest, query, {'ETag': tag})
        if head == 'lastmod':
            if self.headers.get('If-Modified-Since') == LAST_MODIFIED:
                return self.send(304, headers={'Last-Modified': LAST_MODIFIED})
            return self.serve_file(rest, query, {'Last-Modified': LAST_MODIFIED})
        if head in ('gzip', 'deflate'):
            if head not in self.headers.get('Accept-Encoding', ''):
                return self.send(406, b'compression required\n', {'Content-Type': 'text/plain'})
            body = self.load(rest)
            if body is None:
                return self.send(404)
            packed = gzip.compress(body) if head == 'gzip' else zlib.compress(body)
            return self.send(200, packed, {'Content-Type': self.content_type(rest, query), 'Content-Encoding': head})
        if head == 'redirect':
            n = int(parts[1]) if len(parts) > 1 else 1
            to = query.get('to', ['/static/rss2.xml'])[0]
            target = to if n <= 1 else '/redirect/%d?to=%s' % (n - 1, to)
            return self.send(302, b'', {'Location': target})
        if head == 'bigheader':
            # /bigheader?bytes=N&lines=K: K header lines of N bytes each, then a small body.
            size = int(query.get('bytes', ['10000000'])[0])
            lines = int(query.get('lines', ['1'])[0])
            return self.send(200, b'ok\n', {'Content-Type': 'text/plain',
                                            **{'X-Filler-%d' % i: 'a' * size for i in range(lines)}})
        if head == 'loop':
            return self.send(302, b'', {'Location': '/loop/b' if rest == 'a' else '/loop/a'})
        if head == 'redirect-file':
            return self.send(302, b'', {'Location': 'file:///etc/passwd'})
        if head == 'flaky':
            fail = int(query.get('fail', ['2'])[0])
            with self.state.lock:
                seen = self.state.flaky.get(rest, 0)
                self.state.flaky[rest] = seen + 1
            if seen < fail:
                return self.send(500, b'try again\n', {'Content-Type': 'text/plain', 'Retry-After': '0'})
            to = urlsplit(query.get('to', ['/static/rss2.xml'])[0])
            return self.route(to.path, parse_qs(to.query))
        if head == 'robots.txt' and self.state.robots == '503':
            return self.send(503, b'down\n', {'Content-Type': 'text/plain'})
        if head == 'robots.txt' and self.state.robots:
            return self.serve_file(self.state.robots, {'ct': ['text/plain']})
        if head == 'busy':
            # /busy/CODE/KEY?fail=N&after=S&form=seconds|date&to=PATH: the first N
            # requests for KEY get CODE with Retry-After S (seconds, or an HTTP date
            # S seconds ahead), later ones get PATH.
            code = int(parts[1]) if len(parts) > 1 else 503
            fail = int(query.get('fail', ['1'])[0])
            after = int(query.get('after', ['1'])[0])
            with self.state.lock:
                seen = self.state.flaky.get('busy/' + rest, 0)
                self.state.flaky['busy/' + rest] = seen + 1
            if seen < fail:
                if query.get('form', ['seconds'])[0] == 'date':
                    value = formatdate(time.time() + after + 1, usegmt=True)
                else:
                    value = str(after)
                return self.send(code, b'busy\n', {'Content-Type': 'text/plain', 'Retry-After': value})
            to = urlsplit(query.get('to', ['/static/rss2.xml'])[0])
            return self.route(to.path, parse_qs(to.query))
        if head == 'slow':
            deadline = time.monotonic() + int(query.get('ms', ['3000'])[0]) / 1000.0
            while time.monotonic() < deadline:
                time.sleep(0.02)
            return self.send(200, b'<rss version="2.0"><channel><title>late</title></channel></rss>',
                             {'Content-Type': 'application/xml'})
        if head == 'big':
            return self.serve_big(int(query.get('bytes', ['1000000'])[0]), query.get('chunked', ['0'])[0] == '1')
        if head == 'status':
            code = int(parts[1]) if len(parts) > 1 else 500
            return self.send(code, b'status %d\n' % code, {'Content-Type': 'text/plain'})
        if head == 'charset':
            return self.serve_charset(parts[1], parts[2], '/'.join(parts[3:]))
        if head == 'bench':
            return self.serve_bench(parts)
        if head == '_stats':
            with self.state.lock:
                body = json.dumps({'requests': len([r for r in self.state.requests if not r['path'].startswith('/_')]),
                                   'max_active': self.state.max_active}).encode()
            return self.send(200, body, {'Content-Type': 'application/json'})
        if head == '_requests':
            with self.state.lock:
                body = json.dumps(self.state.requests).encode()
            return self.send(200, body, {'Content-Type': 'application/json'})
        return self.send(404, b'not found\n', {'Content-Type': 'text/plain'})

    def serve_big(self, size, chunked):
        start = b'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title><description>'
        self.send_response(200)
        self.send_header('Content-Type', 'application/xml')
        if chunked:
            self.send_header('Transfer-Encoding', 'chunked')
        else:
            self.send_header('Content-Length', str(size))
        self.end_headers()
        block = (b'x' * 65535 + b'\n')
        sent = 0
        first = True
        while sent < size:
            piece = start if first else block[:min(len(block), size - sent)]
            first = False
            if chunked:
                self.wfile.write(b'%x\r\n%s\r\n' % (len(piece), piece))
            else:
                self.wfile.write(piece)
            sent += len(piece)
        if chunked:
            self.wfile.write(b'0\r\n\r\n')

    def serve_charset(self, encoding, mode, name):
        body = self.load(name)
        if body is None:
            return self.send(404)
        meta = ('<meta charset="%s">' % encoding) if mode == 'meta' else ''
        text = body.decode('utf-8').replace('{{META}}', meta)
        ctype = 'text/html; charset=%s' % encoding if mode == 'header' else 'text/html'
        return self.send(200, text.encode(encoding), {'Content-Type': ctype})

    def serve_bench(self, parts):
        n = self.state.bench_items
        if len(parts) >= 2 and parts[1] == 'feed.xml':
            items = []
            for i in range(n):
                items.append('<item><title>Bench item %d 第%d条</title><link>%s/bench/page/%d.html</link>'
                             '<guid>%s/bench/page/%d.html</guid><pubDate>Sun, 01 Jun 2025 08:%02d:00 +0800</pubDate>'
                             '<description>Summary %d</description></item>' % (i, i, self.base(), i, self.base(), i, i % 60, i))
            body = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>bench</title>'
                    '<language>en</language>%s</channel></rss>' % ''.join(items)).encode()
            return self.send(200, body, {'Content-Type': 'application/rss+xml'})
        if len(parts) >= 3 and parts[1] == 'page':
            i = int(parts[2].split('.')[0])
            if self.state.bench_latency:
                time.sleep(self.state.bench_latency / 1000.0)
            return self.send(200, bench_page(i).encode(), {'Content-Type': 'text/html; charset=utf-8'})
        return self.send(404)


WORDS = ('market chip export rules bank lending rate inflation growth factory semiconductor supply chain '
         'investor earnings quarter forecast central policy yuan dollar trade tariff').split()
HAN = '市场芯片出口规则银行贷款利率通胀增长工厂半导体供应链投资者盈利季度预测央行政策人民币美元贸易关税'


def bench_page(i):
    """A news page of a few kilobytes, different for each i, with the usual furniture."""
    paragraphs = []
    for p in range(8):
        words = [WORDS[(i * 7 + p * 13 + k * 3) % len(WORDS)] for k in range(45)]
        han = ''.join(HAN[(i * 5 + p * 11 + k) % len(HAN)] for k in range(60))
        paragraphs.append('<p>%s, %s.</p><p>%s。</p>' % (' '.join(words[:20]), ' '.join(words[20:]), han))
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bench article %d - Bench</title>'
            '<meta property="og:title" content="Bench article %d">'
            '<meta property="article:published_time" content="2025-06-01T08:%02d:00+08:00"></head><body>'
            '<nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            '<article><h1>Bench article %d</h1>%s</article>'
            '<aside class="related"><ul><li><a href="/x">Another story</a></li></ul></aside>'
            '<footer>Copyright Bench</footer></body></html>') % (i, i, i % 60, i, ''.join(paragraphs))


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # Clients that hang up (a killed fetch, an aborted transfer) are expected here.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--root', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures'))
    ap.add_argument('--port', type=int, default=0)
    ap.add_argument('--lifetime', type=float, default=300)
    ap.add_argument('--bench-items', type=int, default=500)
    ap.add_argument('--bench-latency-ms', type=int, default=0)
    ap.add_argument('--robots', default=None, help='a fixture served as /robots.txt (else 404); "503" answers 503')
    args = ap.parse_args()

    server = Server(('127.0.0.1', args.port), Handler)
    server.state = State(os.path.abspath(args.root), args.bench_items, args.bench_latency_ms, args.robots)
    parent = os.getppid()

    def watchdog():
        end = time.monotonic() + args.lifetime
        while time.monotonic() < end and os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watchdog, daemon=True).start()
    print('port %d' % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
