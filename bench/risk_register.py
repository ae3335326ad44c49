"""How long the organisation's risk register page takes, as a ratio to a plain query of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lantern_bench python -m bench.risk_register [--risks 5000]

Builds a throwaway test database (test_<name>, dropped afterwards) holding one council
with `--risks` risks spread over projects of 100, each risk with its first scores and half
of them reviewed once. Then, as a manager, it times the whole register page (middleware,
permissions, filters, both heat maps, the count, the page of 50 rows with each risk's
movement, the template) against two baselines measured in the same run:

- the same 50 rows: the SQL of the page's own row query (same joins, order and limit),
  run on a cursor and fetched, with no ORM objects and no template;
- all the register's rows: a plain SELECT of every live risk's displayed columns.

It refuses to run on anything but PostgreSQL unless given --allow-sqlite.
"""

import argparse
import os
import statistics
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def _median_seconds(work, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _seed(count: int):
    from accounts.models import Membership, Organisation, Role, User
    from innovation.models import Project
    from risk.models import Risk, RiskAssessment, RiskReview

    council = Organisation.objects.create(name="Benchmark Borough Council", kind="unitary")
    manager = User.objects.create_user(email="manager@bench.example", full_name="Bench Manager")
    Membership.objects.create(user=manager, organisation=council, role=Role.MANAGER)
    owners = [manager]
    for n in range(9):
        owner = User.objects.create_user(email=f"owner{n}@bench.example", full_name=f"Owner {n}")
        Membership.objects.create(user=owner, organisation=council, role=Role.OFFICER)
        owners.append(owner)
    projects = Project.objects.bulk_create(
        Project(organisation=council, reference=n + 1, title=f"Project {n + 1}", owner=manager, stage="implementation")
        for n in range(max(1, count // 100))
    )
    assessments = RiskAssessment.objects.bulk_create(
        RiskAssessment(organisation=council, project=project, summary="S", recommendation="R") for project in projects
    )
    categories = ["delivery", "financial", "reputational", "legal", "service_users", "partners", "missed_opportunity"]
    risks = []
    for n in range(count):
        risk = Risk(
            organisation=council,
            assessment=assessments[n % len(assessments)],
            title=f"Risk {n}",
            category=categories[n % len(categories)],
            owner=owners[n % len(owners)],
            inherent_likelihood=n % 5 + 1,
            inherent_impact=n // 5 % 5 + 1,
            residual_likelihood=1 + n % 3,
            residual_impact=1 + n % 4,
        )
        risk.set_scores()
        risks.append(risk)
    risks = Risk.objects.bulk_create(risks, batch_size=1000)

    def review(risk, kind, residual_impact):
        return RiskReview(
            organisation=council,
            risk=risk,
            kind=kind,
            reviewed_by=manager,
            inherent_likelihood=risk.inherent_likelihood,
            inherent_impact=risk.inherent_impact,
            inherent_score=risk.inherent_score,
            residual_likelihood=risk.residual_likelihood,
            residual_impact=residual_impact,
            residual_score=risk.residual_likelihood * residual_impact,
        )

    reviews = [review(risk, "assessed", min(5, risk.residual_impact + 1)) for risk in risks]
    reviews += [review(risk, "reviewed", risk.residual_impact) for risk in risks[::2]]
    RiskReview.objects.bulk_create(reviews, batch_size=1000)
    return council, manager


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--risks", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--allow-sqlite", action="store_true")
    args = parser.parse_args(argv)

    import django

    django.setup()
    # whitenoise looks for collected static files; the page's own HTML is what is timed here.
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql" and not args.allow_sqlite:
        print("Set DATABASE_URL to a PostgreSQL database (or pass --allow-sqlite).", file=sys.stderr)
        return 2
    # Not setup_test_environment(): its template-render instrumentation would be timed too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False  # no query log kept while timing
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        from risk import queries
        from risk.views import PAGE_SIZE

        council, manager = _seed(args.risks)
        if connection.vendor == "postgresql":
            # Fresh bulk-loaded tables have no planner statistics yet; a live database would.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        client = Client()
        client.force_login(manager)
        session = client.session
        session["lantern_organisation_id"] = council.pk
        if "django_otp" in settings.INSTALLED_APPS:  # a manager gives a two-factor code to sign in
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device = TOTPDevice.objects.create(user=manager, name="Bench authenticator", confirmed=True)
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        url = "/risk/?sort=-inherent"

        def render():
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        base = queries.register_base(organisation=council, user=manager).order_by("-inherent_score", "pk")
        page_sql, page_params = base.values_list(
            "pk",
            "title",
            "category",
            "assessment__project__title",
            "owner__full_name",
            "inherent_score",
            "residual_score",
            "review_date",
            "status",
        )[:PAGE_SIZE].query.sql_with_params()
        all_sql, all_params = base.values_list(
            "pk", "title", "category", "assessment__project__title", "owner__full_name", "inherent_score",
            "residual_score", "review_date", "status", "inherent_likelihood", "inherent_impact",
            "residual_likelihood", "residual_impact",
        ).query.sql_with_params()  # fmt: skip

        def plain(sql, params):
            def run():
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    cursor.fetchall()

            return run

        render()  # warm caches, templates and the connection
        plain(page_sql, page_params)()
        with CaptureQueriesContext(connection) as captured:
            render()
        # Counted now: every request clears Django's query log (request_started → reset_queries).
        query_count = len(captured)
        if os.environ.get("BENCH_SHOW_QUERIES"):
            for query in captured.captured_queries:
                print(query["time"], query["sql"][:150])
        page_time = _median_seconds(render, args.repeat)
        page_rows_time = _median_seconds(plain(page_sql, page_params), args.repeat * 5)
        all_rows_time = _median_seconds(plain(all_sql, all_params), args.repeat)

        print(f"Risk register, {args.risks} risks over {max(1, args.risks // 100)} projects, on {connection.vendor}")
        print(f"  queries per page render: {query_count}")
        print(
            f"  register page / plain query of its {PAGE_SIZE} rows:  "
            f"{page_time / page_rows_time:6.1f}×  ({page_time * 1000:.1f} ms vs {page_rows_time * 1000:.2f} ms)"
        )
        print(
            f"  register page / plain query of all {args.risks} rows: "
            f"{page_time / all_rows_time:6.1f}×  ({page_time * 1000:.1f} ms vs {all_rows_time * 1000:.1f} ms)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
