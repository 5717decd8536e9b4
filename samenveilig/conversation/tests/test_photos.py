"""Photos with a post: stored with it (no metadata left), at most POST_MAX_PHOTOS, added later by the author only,
and seen by exactly those who may see the post (selectors.post_for)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from samenveilig.conversation import services
from samenveilig.conversation.models import Post, PostPhoto, PostStatus
from samenveilig.core.errors import Conflict, Forbidden, Invalid, NotFound
from samenveilig.core.photos import CleanPhoto, clean_photo
from samenveilig.core.testing import SamenVeiligTestCase

CLEAN = "Man in zwarte jas voelt aan de deurklinken van de auto's aan de Parklaan, loopt richting het station."
STIGMA = "Er loopt weer een donkere man door de straat, niet pluis"
PROBLEM = "application/problem+json"


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG that carries a camera make and a GPS position, as phone photos do."""
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 6.0, 7.0)}  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def cleaned(size: tuple[int, int] = (64, 48)) -> CleanPhoto:
    return clean_photo(jpeg_with_gps(size), code="post.photo", field="photos")


def upload(name: str = "foto.jpg", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_with_gps() if content is None else content, content_type="image/jpeg")


def assert_no_metadata(case: SamenVeiligTestCase, content: bytes) -> None:
    with Image.open(io.BytesIO(content)) as image:
        case.assertEqual(dict(image.getexif()), {})
    case.assertNotIn(b"CameraMaker", content)
    case.assertNotIn(b"Exif", content)


class PostPhotoServiceTests(SamenVeiligTestCase):
    def test_photos_are_stored_with_the_post_and_change_nothing_about_its_checks(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN, photos=[cleaned(), cleaned()])
        self.assertEqual(post.status, PostStatus.PUBLISHED)
        stored = list(post.photos.all())
        self.assertEqual([(p.content_type, p.width, p.height) for p in stored], [("image/jpeg", 64, 48)] * 2)
        with stored[0].file.open("rb") as handle:
            content = handle.read()
        self.assertEqual(stored[0].size, len(content))
        assert_no_metadata(self, content)
        self.assertTrue(stored[0].file.name.startswith("conversation/"))
        flagged = services.post_create(community=self.buurt, author=self.anna, text=STIGMA, photos=[cleaned()])
        self.assertEqual((flagged.status, flagged.photos.count()), (PostStatus.PROMPTED, 1))

    @override_settings(POST_MAX_PHOTOS=2)
    def test_one_photo_too_many_stores_nothing(self) -> None:
        with self.assertRaises(Invalid) as caught:
            services.post_create(community=self.buurt, author=self.anna, text=CLEAN, photos=[cleaned()] * 3)
        self.assertEqual(caught.exception.code, "post.photo")
        self.assertIn("photos", caught.exception.fields)
        self.assertEqual((Post.objects.count(), PostPhoto.objects.count()), (0, 0))

    def test_replies_and_voorlichting_carry_photos_too(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        reply = services.post_create(
            community=self.buurt, author=self.ivo, text="Gezien, ik loop even mee.", parent=post, photos=[cleaned()]
        )
        info = services.post_create(
            community=self.buurt,
            author=self.wendy,
            organisation=self.police,
            text="Er zijn deze week drie schuurinbraken geweest in Noord.",
            perspective="Zet uw schuur op slot en leg gereedschap binnen. Ziet u iets verdachts? Bel 112.",
            photos=[cleaned()],
        )
        self.assertEqual((reply.photos.count(), info.photos.count()), (1, 1))

    @override_settings(POST_MAX_PHOTOS=2)
    def test_the_author_adds_photos_up_to_the_maximum_while_the_post_lasts(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN, photos=[cleaned()])
        added = services.post_add_photo(post=post, by=self.anna, photo=cleaned((30, 20)))
        self.assertEqual((added.post_id, added.width, added.height), (post.pk, 30, 20))
        with self.assertRaises(Invalid) as caught:
            services.post_add_photo(post=post, by=self.anna, photo=cleaned())
        self.assertEqual((caught.exception.code, list(caught.exception.fields)), ("post.photo", ["photo"]))
        self.assertEqual(post.photos.count(), 2)
        self.assertEqual(Post.objects.get(pk=post.pk).status, PostStatus.PUBLISHED)
        self.assertTrue(post.events.filter(action="add_photo", actor=self.anna).exists())

    def test_only_the_author_adds_photos_and_not_to_an_ended_post(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        with self.assertRaises(Forbidden):
            services.post_add_photo(post=post, by=self.ivo, photo=cleaned())
        with self.assertRaises(NotFound):
            services.post_add_photo(post=post, by=self.olaf, photo=cleaned())
        held = services.post_send_anyway(
            post=services.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
        )
        services.post_add_photo(post=held, by=self.anna, photo=cleaned())
        self.assertEqual(Post.objects.get(pk=held.pk).status, PostStatus.HELD)  # a photo never changes the status
        withdrawn = services.post_withdraw(
            post=services.post_create(community=self.buurt, author=self.anna, text=STIGMA), by=self.anna
        )
        with self.assertRaises(Conflict):
            services.post_add_photo(post=withdrawn, by=self.anna, photo=cleaned())
        self.assertEqual(PostPhoto.objects.count(), 1)


class PostPhotoApiTests(SamenVeiligTestCase):
    def create(self, text: str = CLEAN) -> str:
        self.login_as("anna")
        response = self.client.post(
            f"/api/v1/communities/{self.buurt.code}/posts", {"text": text}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 201)
        return response.json()["code"]

    def add(self, code: str, content: bytes | None = None, name: str = "foto.jpg"):
        return self.client.post(f"/api/v1/posts/{code}/photos", {"photo": upload(name, content)})

    def test_the_author_uploads_a_photo_that_members_and_partners_fetch_without_metadata(self) -> None:
        code = self.create()
        response = self.add(code)
        self.assertEqual(response.status_code, 201, response.content[:500])
        photo = response.json()
        self.assertEqual((photo["content_type"], photo["width"], photo["height"]), ("image/jpeg", 64, 48))
        path = photo["url"].removeprefix("http://testserver")
        self.assertEqual(path, f"/api/v1/posts/{code}/photos/{photo['id']}")
        for who in ("ivo", "wendy"):
            with self.subTest(who=who):
                self.login_as(who)
                fetched = self.client.get(path)
                self.assertEqual(fetched.status_code, 200)
                self.assertEqual(fetched["Content-Type"], "image/jpeg")
                self.assertIn("no-store", fetched["Cache-Control"])
                self.assertIn("private", fetched["Cache-Control"])
                body = fetched.getvalue()  # streamed: read once
                self.assertEqual(len(body), photo["size"])
                assert_no_metadata(self, body)
                listed = self.client.get(f"/api/v1/communities/{self.buurt.code}/posts").json()
                self.assertEqual([p["photos"] for p in listed], [[photo]])
        self.login_as("olaf")
        self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_file_that_is_no_photo_is_a_dutch_422_problem_and_stores_nothing(self) -> None:
        code = self.create()
        response = self.add(code, b"%PDF-1.4 not an image", "brief.pdf")
        self.assertEqual((response.status_code, response["Content-Type"]), (422, PROBLEM))
        body = response.json()
        self.assertEqual(body["code"], "post.photo")
        self.assertIn("geen foto", body["detail"])  # Dutch by default
        self.assertIn("photo", body["fields"])
        self.assertFalse(PostPhoto.objects.exists())

    def test_another_member_cannot_add_a_photo(self) -> None:
        code = self.create()
        self.login_as("ivo")
        response = self.add(code)
        self.assertEqual((response.status_code, response.json()["code"]), (403, "post.forbidden"))
        self.login_as("olaf")
        self.assertEqual(self.add(code).status_code, 404)
        self.assertFalse(PostPhoto.objects.exists())

    def test_a_held_posts_photo_is_for_its_author_and_the_coordinators_only(self) -> None:
        code = self.create(STIGMA)
        url = self.add(code).json()["url"].removeprefix("http://testserver")
        self.assertEqual(self.client.post(f"/api/v1/posts/{code}/send-anyway").json()["status"], "held")
        expected = {"anna": 200, "cor": 200, "ivo": 404, "wendy": 404, "olaf": 404}
        for who, status in expected.items():
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(url).status_code, status)

    def test_a_post_waiting_for_its_author_and_its_photos_are_the_authors_only(self) -> None:
        code = self.create(STIGMA)
        url = self.add(code).json()["url"].removeprefix("http://testserver")
        for who, status in {"anna": 200, "cor": 404, "ivo": 404}.items():
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(url).status_code, status)
                self.assertEqual(self.client.get(f"/api/v1/posts/{code}").status_code, status)

    def test_a_photo_code_of_another_post_is_404(self) -> None:
        first, second = self.create(), self.create(CLEAN + " Nog eens.")
        photo = self.add(first).json()["id"]
        self.assertEqual(self.client.get(f"/api/v1/posts/{second}/photos/{photo}").status_code, 404)


class PostPhotoPageTests(SamenVeiligTestCase):
    def url(self, suffix: str = "") -> str:
        return f"/communities/{self.buurt.slug}/gesprek/{suffix}"

    def test_a_post_with_a_photo_shows_it_in_the_stream_for_members_only(self) -> None:
        self.login_as("anna")
        response = self.client.post(self.url("plaatsen/"), {"text": CLEAN, "photos": [upload()]})
        self.assertRedirects(response, self.url())
        post = Post.objects.get()
        photo = post.photos.get()
        src = reverse("conversation:photo", args=[self.buurt.slug, post.code, photo.code])
        self.login_as("ivo")
        page = self.client.get(self.url())
        self.assertContains(page, f'src="{src}" width="64" height="48"')
        self.assertContains(page, 'enctype="multipart/form-data"')
        self.assertNotContains(page, "style=")
        served = self.client.get(src)
        self.assertEqual((served.status_code, served["Content-Type"]), (200, "image/jpeg"))
        self.assertEqual(served["Cache-Control"], "private, no-store")
        assert_no_metadata(self, b"".join(served.streaming_content))
        for who in ("olaf", "bob"):
            with self.subTest(who=who):
                self.login_as(who)
                self.assertEqual(self.client.get(src).status_code, 404)
        self.login_as("ivo")
        elsewhere = f"/communities/{self.zuid_community.slug}/gesprek/{post.code}/fotos/{photo.code}/"
        self.assertEqual(self.client.get(elsewhere).status_code, 404)

    def test_a_reply_carries_a_photo(self) -> None:
        post = services.post_create(community=self.buurt, author=self.anna, text=CLEAN)
        self.login_as("ivo")
        self.client.post(
            self.url("plaatsen/"),
            {"text": "Gezien, politie is al onderweg.", "reply_to": str(post.code), "photos": [upload()]},
        )
        reply = Post.objects.get(parent=post)
        src = reverse("conversation:photo", args=[self.buurt.slug, reply.code, reply.photos.get().code])
        self.assertContains(self.client.get(self.url()), f'src="{src}"')

    def test_a_file_that_is_no_photo_shows_the_form_again_and_creates_nothing(self) -> None:
        self.login_as("anna")
        response = self.client.post(
            self.url("plaatsen/"),
            {"text": CLEAN, "photos": [upload(), upload("brief.pdf", b"%PDF-1.4 not an image")]},
        )
        self.assertContains(response, "brief.pdf", status_code=422)
        self.assertContains(response, "geen foto", status_code=422)  # the Dutch message per file
        self.assertContains(response, "deurklinken", status_code=422)  # the text is kept
        self.assertNotContains(response, "style=", status_code=422)
        self.assertEqual((Post.objects.count(), PostPhoto.objects.count()), (0, 0))

    @override_settings(POST_MAX_PHOTOS=1)
    def test_too_many_photos_show_the_form_again_and_create_nothing(self) -> None:
        self.login_as("anna")
        response = self.client.post(self.url("plaatsen/"), {"text": CLEAN, "photos": [upload(), upload()]})
        self.assertEqual(response.status_code, 422)
        self.assertEqual((Post.objects.count(), PostPhoto.objects.count()), (0, 0))

    def test_the_prompt_page_and_the_queue_show_the_photos(self) -> None:
        self.login_as("anna")
        self.client.post(self.url("plaatsen/"), {"text": STIGMA, "photos": [upload()]})
        post = Post.objects.get()
        src = reverse("conversation:photo", args=[self.buurt.slug, post.code, post.photos.get().code])
        prompt = self.client.get(self.url(f"{post.code}/"))
        self.assertContains(prompt, f'src="{src}"')
        self.assertNotContains(prompt, 'type="file"')  # the prompt revises the text only
        self.client.post(self.url(f"{post.code}/"), {"action": "send_anyway"})
        self.login_as("cor")
        self.assertContains(self.client.get(self.url("wachtrij/")), f'src="{src}"')
        self.assertEqual(self.client.get(src).status_code, 200)
        self.login_as("ivo")
        self.assertEqual(self.client.get(src).status_code, 404)

    def test_the_stream_costs_the_same_queries_with_photos_on_few_or_many_posts(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                self.assertEqual(self.client.get(self.url("berichten/")).status_code, 200)
            return len(captured.captured_queries)

        def add(n: int) -> None:
            post = services.post_create(
                community=self.buurt, author=self.anna, text=f"{CLEAN} ({n})", photos=[cleaned()]
            )
            services.post_create(
                community=self.buurt, author=self.cor, text=f"Gezien ({n})", parent=post, photos=[cleaned()]
            )

        self.login_as("ivo")
        for n in range(2):
            add(n)
        queries()  # the first request fills this process's caches (core.refcache): compare warm with warm
        few = queries()
        for n in range(2, 6):
            add(n)
        self.assertEqual(queries(), few)
