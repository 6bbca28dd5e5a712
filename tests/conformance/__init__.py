"""TensorFlow conformance oracle: harness and scenario suites."""
