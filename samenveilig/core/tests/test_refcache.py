from django.db import connection, transaction
from django.test import TestCase, TransactionTestCase

from samenveilig.core import refcache
from samenveilig.core.models import ReferenceGeneration


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return self.calls


class RefcacheTests(TestCase):
    def test_a_value_is_computed_once_per_generation(self) -> None:
        compute = Counter()
        self.assertEqual([refcache.cached("k", compute) for _ in range(3)], [1, 1, 1])
        refcache.bump()
        self.assertEqual(refcache.cached("k", compute), 2)
        self.assertEqual(refcache.cached("other", compute), 3)

    def test_a_new_token_written_by_another_process_is_seen_at_once(self) -> None:
        compute = Counter()
        refcache.cached("k", compute)
        with connection.cursor() as cursor:  # what another process's bump looks like from here
            cursor.execute(f"UPDATE {ReferenceGeneration._meta.db_table} SET token = %s", ["f" * 32])  # noqa: S608
        self.assertEqual(refcache.cached("k", compute), 2)

    def test_a_rolled_back_change_never_makes_its_values_current(self) -> None:
        state = {"value": "committed"}
        self.assertEqual(refcache.cached("k", lambda: state["value"]), "committed")
        try:
            with transaction.atomic():
                refcache.bump()
                state["value"] = "rolled back"
                self.assertEqual(refcache.cached("k", lambda: state["value"]), "rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
        state["value"] = "committed"
        self.assertEqual(refcache.cached("k", lambda: state["value"]), "committed")

    def test_saving_deleting_and_linking_a_watched_model_start_a_new_generation(self) -> None:
        from samenveilig.accounts.models import Organisation
        from samenveilig.core.testing import make_areas

        area = make_areas()["noord"]
        organisation = Organisation.objects.create(name="Woonstichting", kind="housing")
        for change in (
            lambda: organisation.areas.add(area),
            lambda: organisation.areas.remove(area),
            organisation.save,
            organisation.delete,
        ):
            before = refcache.current_token()
            change()
            self.assertNotEqual(refcache.current_token(), before)

    def test_an_unwatched_model_leaves_the_generation_alone(self) -> None:
        from samenveilig.core.testing import make_user

        before = refcache.current_token()
        make_user("nobody")
        self.assertEqual(refcache.current_token(), before)


class MissingRowTests(TransactionTestCase):
    def test_without_the_row_nothing_is_kept(self) -> None:
        ReferenceGeneration.objects.all().delete()
        compute = Counter()
        self.assertEqual([refcache.cached("k", compute) for _ in range(2)], [1, 2])
        refcache.bump()  # creates the row again
        self.assertEqual([refcache.cached("k", compute) for _ in range(2)], [3, 3])
