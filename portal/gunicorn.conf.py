"""Gunicorn's settings for the portal: `gunicorn -c portal/gunicorn.conf.py portal.wsgi`.

Each value can be changed from the environment (README, "Environment variables"); the
command line still wins over this file."""

import gc
import multiprocessing
import os

# Where to listen: the reverse proxy (or the load balancer) forwards to this address.
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")

# Sync workers, each serving one request at a time: twice the cores plus one, the usual
# rule, capped so that a large machine shared with the database does not start dozens.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))

# A request taking longer than this is killed and its worker restarted (the slowest pages
# take a fraction of a second; imports and syncs run in the task worker, not here).
timeout = int(os.environ.get("PORTAL_WEB_TIMEOUT", 30))
graceful_timeout = 30
# Above the reverse proxy's keep-alive to the app server, so the proxy closes first.
keepalive = 5
# The portal is loaded once, in the master, before the workers are forked: a worker that
# starts (or restarts, below) answers at once instead of spending seconds importing Django,
# Wagtail and the apps while the others take its share. No connection is opened at import
# time (database, cache and mail connect on first use, in each worker). New code therefore
# needs a restart of gunicorn, not a HUP.
preload_app = True

# What the master loaded (about 230,000 objects: Django, Wagtail, the apps) is set aside
# from the garbage collector before each fork, as Python's documentation of gc.freeze()
# advises: a worker's full collection no longer walks it all (about 120 ms each time,
# measured in one process), and the memory pages stay shared with the master.
gc.disable()


def pre_fork(server, worker):
    gc.freeze()


def post_fork(server, worker):
    gc.enable()


# A worker is replaced after this many requests, and a random part more (up to half again,
# so that workers serving the same load do not restart together): whatever a long-lived
# process gathers is given back.
max_requests = 10000
max_requests_jitter = 5000

# X-Forwarded-Proto / X-Forwarded-For are believed only from these addresses: the reverse
# proxy on this machine by default; the load balancer's addresses when it is another one.
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No access log: the portal writes its own line per request, with its duration
# (logger portal.requests). Errors and worker restarts go to the standard error.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("PORTAL_WEB_LOG_LEVEL", "info")

# No control socket (gunicornc): it would be one file per user, shared by every gunicorn of
# the machine (two app servers side by side would take each other's). Signals suffice.
control_socket_disable = True
