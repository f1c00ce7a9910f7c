-- The content of each candidate's results page as HTML, written by the
-- web area's template when the page is prepared (publication, a
-- re-marking), so that the night of the results serves it with one
-- primary-key read and no template run of its own (issue 15 item 4).
-- version names the template that wrote it: a row of another version is
-- not served (the page is rendered from results_pages.body instead). A
-- table of its own, so that the row read is small. Owned by package
-- results. Keep in step with the other dialect's 0032_results_page_html.sql.
CREATE TABLE results_page_html (
    year       INTEGER NOT NULL,
    student_id INTEGER NOT NULL,
    version    TEXT NOT NULL,
    html       TEXT NOT NULL,
    PRIMARY KEY (year, student_id)
);
