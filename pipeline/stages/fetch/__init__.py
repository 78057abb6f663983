"""The fetch stage: claim due articles, fetch them politely, hand the pages to extraction."""
