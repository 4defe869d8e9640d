package gate

// Direction says which way a metric improves.
type Direction int

const (
	// SmallerIsBetter is the direction of latency, memory and energy.
	SmallerIsBetter Direction = -1
	// BiggerIsBetter is the direction of throughput and efficiency.
	BiggerIsBetter Direction = 1
)

// String returns "smaller" or "bigger".
func (d Direction) String() string {
	if d == BiggerIsBetter {
		return "bigger"
	}
	return "smaller"
}
