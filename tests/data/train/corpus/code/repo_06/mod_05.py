# Write a function to get the n largest items from a dataset.
import heapq
def larg_nnum(list1,n):
 largest=heapq.nlargest(n,list1)
 return largest


# Write a function to find the lateral surface area of a cylinder.
def lateralsuface_cylinder(r,h):
  lateralsurface= 2*3.1415*r*h
  return lateralsurface


# Write a function to find the volume of a cube.
def volume_cube(l):
  volume = l * l * l
  return volume
