"""The user guide inside the app: docs/guide/*.md as pages, one per role, with their pictures."""

import re

import pytest

from awards.help import guide


def test_the_index_links_every_role_page(client):
    html = client.get("/help/").get_data(as_text=True)
    assert "<h1" in html and "Hướng dẫn sử dụng" in html
    for name in guide.PAGES:
        assert f'href="/help/{name}"' in html


@pytest.mark.parametrize("name", guide.PAGES)
def test_each_role_page_shows_its_pictures(client, name):
    response = client.get(f"/help/{name}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r"<h1[^>]*>Hướng dẫn cho ", html)
    images = re.findall(r'<img [^>]*src="(/help/img/[a-z0-9-]+\.png)"[^>]*alt="([^"]+)"', html)
    assert images, "each page is illustrated"
    for src, _alt in images:
        picture = client.get(src)
        assert picture.status_code == 200 and picture.mimetype == "image/png", src
        assert picture.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_picture_the_guide_names_exists():
    for path in guide.GUIDE.glob("*.md"):
        for name in re.findall(r"\]\(img/([^)]+)\)", path.read_text(encoding="utf-8")):
            assert guide.image_path(name) is not None, f"{path.name}: img/{name}"


def test_unknown_pages_and_pictures_are_not_found(client):
    assert client.get("/help/khong-co").status_code == 404
    assert client.get("/help/img/..%2Fcan-bo-don-vi.md").status_code == 404
    assert client.get("/help/img/khong-co.png").status_code == 404


def test_the_markdown_subset_is_escaped_and_rendered():
    title, body = guide.render(
        "# Tiêu đề\n\nĐoạn **đậm** <script>x</script> [Người dân](cong-chung.md).\n\n- một\n- hai\n  tiếp\n\n"
        "1. bước\n\n![Ảnh \"mẫu\"](img/a.png)\n\n## Mục con\n",
        lambda name: f"/help/{name}", lambda image: f"/help/img/{image}")
    assert title == "Tiêu đề"
    assert "<strong>đậm</strong>" in body and "&lt;script&gt;" in body and "<script>" not in body
    assert '<a href="/help/cong-chung">Người dân</a>' in body
    assert "<ul><li>một</li><li>hai tiếp</li></ul>" in body and "<ol><li>bước</li></ol>" in body
    assert '<img class="img-fluid border rounded my-2" src="/help/img/a.png" alt="Ảnh &#34;mẫu&#34;"' in body
    assert '<h3 class="h5 mt-4" id="muc-con">Mục con</h3>' in body


def test_backticks_render_as_code_and_their_inside_stays_literal():
    _title, body = guide.render("Lệnh `flask archive verify` và `**a** <b>` rồi **đậm**.\n\n- chạy `make install`\n",
                                lambda name: f"/help/{name}", lambda image: f"/help/img/{image}")
    assert "<code>flask archive verify</code>" in body
    assert "<code>**a** &lt;b&gt;</code>" in body and "<strong>đậm</strong>" in body
    assert "<li>chạy <code>make install</code></li>" in body
    assert "`" not in body


def test_no_guide_page_shows_a_raw_backtick(client):
    for name in ("index", *guide.PAGES):
        response = client.get("/help/" if name == "index" else f"/help/{name}")
        assert response.status_code == 200
        main = response.get_data(as_text=True)
        assert "`" not in main, name
