namespace sg::matching {}
