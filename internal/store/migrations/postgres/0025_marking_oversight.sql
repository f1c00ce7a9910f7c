-- The population of each monitors' draw (Neni 57.15): the booklets that
-- were final, not seeded and not voided when the draw was made and had
-- been in no earlier draw. With the draw's seed (marking_monitor_draws)
-- anyone can draw the same sample again (marking.SampleCodes). Owned by
-- package marking. Keep in step with the other dialect's file.
CREATE TABLE marking_monitor_population (
    year    INTEGER NOT NULL,
    exam    TEXT NOT NULL,
    code    TEXT NOT NULL,
    draw_no INTEGER NOT NULL,
    PRIMARY KEY (year, exam, code)
);
CREATE INDEX marking_monitor_population_draw ON marking_monitor_population(year, exam, draw_no);
