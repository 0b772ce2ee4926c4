"""Support dates: two people meeting one to one, on the same turn engine, log and socket as a circle; its
records are in `circles.records.support_date`. (`circles.support` is about requests for support, another thing.)"""
