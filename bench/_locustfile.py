"""The page benchmark's simulated users, for locust. bench/pages.py runs locust headless in a
process of its own (never imported by Django's process: gevent patches what it imports).

    BENCH_PATHS="/projects/ /risk/" BENCH_COOKIES="sessionid=…" locust -f bench/_locustfile.py --headless …

Each user is handed a signed-in session of its own (BENCH_COOKIES, one cookie header a line,
shared round the users when there are fewer) and fetches BENCH_PATHS (space-separated) in turn
with no pause between requests, each user starting one path further on than the last, so the
pages are mixed evenly at every moment. Anything but a 200 is an error: a redirect to the
sign-in or two-factor page would otherwise count as a fast success.
"""

import itertools
import os

from locust import FastHttpUser, constant, task

PATHS = os.environ["BENCH_PATHS"].split()
COOKIES = [line for line in os.environ["BENCH_COOKIES"].splitlines() if line.strip()]
_numbers = itertools.count()


class Reader(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        number = next(_numbers)
        self.cookie = COOKIES[number % len(COOKIES)]
        start = number % len(PATHS)
        self.paths = itertools.cycle(PATHS[start:] + PATHS[:start])

    @task
    def fetch(self):
        path = next(self.paths)
        headers = {"Cookie": self.cookie}
        with self.client.get(path, name=path, headers=headers, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
