"""The process keeps one chromium for chart images and PDFs (issue 18: a note in under 5 s)."""

import plotly.graph_objects as go

from atlas.figures import chromium
from atlas.figures.deck_files import figure_png


async def _same(k):
    return k


def test_images_share_one_browser_and_a_killed_one_is_replaced():
    chart = go.Figure(go.Bar(x=["a", "b"], y=[1, 2]))
    assert figure_png(chart, 400, 300).startswith(b"\x89PNG")
    first = chromium.run(_same)
    assert figure_png(chart, 400, 300).startswith(b"\x89PNG")
    assert chromium.run(_same) is first  # no second start

    first.subprocess.kill()
    first.subprocess.wait(10)
    assert figure_png(chart, 400, 300).startswith(b"\x89PNG")  # not an error for the reader
    assert chromium.run(_same) is not first


def test_a_job_that_fails_twice_raises_and_leaves_no_browser_behind():
    async def broken(k):
        raise ValueError("no such figure")

    try:
        chromium.run(broken)
    except ValueError as error:
        assert "no such figure" in str(error)
    else:
        raise AssertionError("the job's error was swallowed")
    assert not chromium.is_open()
    assert figure_png(go.Figure(), 200, 100).startswith(b"\x89PNG")


def test_close_frees_the_browser():
    chromium.run(_same)
    assert chromium.is_open()
    chromium.close()
    assert not chromium.is_open()
