"""Crawling sites politely: fetching, robots.txt, per-host delays, address safety, discovery and crawl state."""
