// Command schemaversion prints the schema version this build of Herald
// writes, for test harnesses that check the running app reports it.
package main

import (
	"fmt"

	"herald/backend/db"
)

func main() { fmt.Println(db.LatestVersion()) }
