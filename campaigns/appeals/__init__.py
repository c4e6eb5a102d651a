"""Appeal import: turn the text of an appeal (txt, HTML, PDF, e-mail) into a draft campaign document.

One module per concern: `reading` (bytes to text), `text` (paragraphs, sentences, marks), `dates`,
`channels`, `addresses`, `organisations`, `parties` (targets and copy-to), `at_risk` (people), `demands`,
`draft` (assembles the campaign document) and `scoring` (compares a draft with a hand-made document).
"""
