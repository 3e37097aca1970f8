"""``caseintake serve``: the same application in a browser, each tab its own app process."""
