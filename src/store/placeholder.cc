namespace sg::store {}
