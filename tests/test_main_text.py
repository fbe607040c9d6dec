"""Main-text rules on small pages: split articles, date stamps, captions, link-list headings, embeds."""

from index.normalize.html import normalize_html

SENTENCE = (
    "The ministry said on Tuesday that {topic} would be reviewed by an independent panel, which is due to "
    "report to parliament before the end of the year, according to officials familiar with the plan."
)


def para(topic: str) -> str:
    return f"<p>{SENTENCE.format(topic=topic)}</p>"


def page(body: str) -> str:
    return f"<html><head><title>Story</title></head><body>{body}</body></html>"


def test_article_split_around_a_pull_quote_is_read_whole():
    first = "".join(para(f"first part {i}") for i in range(8))
    second = "".join(para(f"second part {i}") for i in range(5))
    html = page(
        '<div class="menu-links"><a href="/a">Home</a> <a href="/b">World</a></div>'
        '<div class="story">'
        f'<div class="chunk"><section><div class="text">{first}</div></section></div>'
        '<div class="pull"><blockquote>A short pull quote</blockquote></div>'
        f'<div class="chunk"><section><div class="text">{second}</div></section></div>'
        "</div>"
    )
    body = normalize_html(html).body
    assert "first part 0 would" in body and "first part 7 would" in body
    assert "second part 0 would" in body and "second part 4 would" in body
    assert "Home" not in body


def test_short_trailing_block_beside_the_article_stays_out():
    article = "".join(para(f"part {i}") for i in range(8))
    about = "<p>The Agency is a global provider of services, with offices in many countries and staff.</p>"
    html = page(f'<div class="wrap"><div class="a">{article}</div><div class="b">{about}</div></div>')
    body = normalize_html(html).body
    assert "part 7 would" in body
    assert "global provider" not in body


def test_published_and_updated_lines_are_stamps_not_text():
    html = page(
        "<article><p>PUBLISHED: 10:48, Tue, Nov 19, 2019 | UPDATED: 11:05, Tue, Nov 19, 2019</p>"
        "<p>Updated 12:24 am EST, Wednesday, November 20, 2019</p>"
        f"{para('the scheme')}{para('the budget')}"
        "<p>Posted by the desk: a sentence that only starts with the word posted, then goes on well "
        "beyond a stamp with 2019 in it.</p></article>"
    )
    doc = normalize_html(html)
    assert "PUBLISHED" not in doc.body and "12:24 am" not in doc.body
    assert "the scheme would" in doc.body
    assert "Posted by the desk" in doc.body  # long: a sentence, not a stamp
    assert str(doc.date) == "2019-11-19"


def test_captions_named_inside_a_class_are_dropped():
    html = page(
        f"<article>{para('the scheme')}"
        '<div class="photo"><img src="a.jpg"><span class="newsCaption">Officials at the border post '
        '<span class="credit">(Image: AGENCY)</span></span></div>'
        f"{para('the budget')}</article>"
    )
    body = normalize_html(html).body
    assert "the budget would" in body
    assert "Officials at the border post" not in body


def test_heading_of_a_removed_link_list_goes_with_it():
    html = page(
        f"<article>{para('the scheme')}"
        "<p><strong>DON'T MISS</strong></p>"
        '<p><a href="/1">Ministers meet on visas</a> | <a href="/2">Border data released today</a></p>'
        "<p>You shouldn't just believe them.</p>"
        '<ul><li><a href="/3">Another story</a></li><li><a href="/4">And one more story</a></li></ul>'
        f"{para('the budget')}</article>"
    )
    body = normalize_html(html).body
    assert "DON'T MISS" not in body and "Ministers meet" not in body and "Another story" not in body
    assert "You shouldn't just believe them." in body  # a sentence before a list is text
    assert "the budget would" in body


def test_embedded_tweet_in_a_social_wrapper_is_kept():
    html = page(
        f"<article>{para('the scheme')}"
        '<div class="social-media-embed"><blockquote class="twitter-tweet"><p>Queues at the consulate '
        'again this morning <a href="https://t.co/x">pic.twitter.com/x</a></p>— A Reporter (@reporter) '
        '<a href="https://twitter.com/reporter/status/1">November 18, 2019</a></blockquote></div>'
        '<div class="social-share"><a href="#">Share on Facebook</a></div>'
        f"{para('the budget')}</article>"
    )
    body = normalize_html(html).body
    assert "Queues at the consulate again this morning" in body
    assert "Share on Facebook" not in body


def test_list_whose_every_item_carries_a_link_is_navigation():
    stories = "".join(
        f'<li>Teaser {i} on visas, <a href="/s/{i}">the backlog explained in full</a></li>' for i in range(4)
    )
    steps = "".join(f"<li>Step {i}: bring the form, two photos and the fee.</li>" for i in range(4))
    html = page(f"<article>{para('the scheme')}<ul>{steps}</ul><hr><ul>{stories}</ul>{para('the budget')}</article>")
    body = normalize_html(html).body
    assert "Step 3: bring the form" in body  # a list that is content
    assert "Teaser 0" not in body and "the backlog explained" not in body


def test_gallery_counters_are_dropped():
    html = page(
        f"<article>{para('the scheme')}<div><p>Image 1 of 5</p><p>Photo 2/5</p></div>{para('the budget')}</article>"
    )
    body = normalize_html(html).body
    assert "Image 1 of 5" not in body and "Photo 2/5" not in body
    assert "the budget would" in body


def test_sign_offs_after_the_article_are_trimmed():
    html = page(
        "<article>"
        + "".join(para(f"part {i}") for i in range(4))
        + "<p>Readers can sign up for the consulate's alerts, the ministry said in its statement today.</p>"
        + para("the budget")
        + "<p>“What is left that readers find worth a digital subscription?” the editor asked.</p>"
        + "<p>Email Jo Reporter at jo@news.example or follow her on Twitter @joreporter.</p>"
        + "<p>Get the latest updates in your inbox. Subscribe to our newsletters.</p>"
        "</article>"
    )
    body = normalize_html(html).body
    assert "jo@news.example" not in body and "Subscribe to our newsletters" not in body
    assert "worth a digital subscription" in body  # the last paragraph of the article stays
    assert "Readers can sign up" in body  # a sign-off word in the middle of the article is text
