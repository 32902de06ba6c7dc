-- A user's table of films for the package tests to tag (texts written for these tests).
CREATE TABLE films (title TEXT PRIMARY KEY, overview TEXT);
INSERT INTO films VALUES
  ('Night Visitors', 'A family moves into an old house where a ghost waits in the cellar and the dead will not stay buried.'),
  ('Second Chances', 'Two strangers fall in love during a rainy summer in Paris and plan their wedding.'),
  ('Orbit', 'Astronauts on a damaged space station fight to return to Earth before the oxygen runs out.'),
  ('The Long Road Home', 'A soldier returns from the war and struggles to reconnect with his daughter.'),
  ('Laugh Track', 'A clumsy waiter becomes a stand-up comedian after a string of hilarious disasters.');
